package io.dojosim.workload;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Jackson is used only where files are read and written: the io package (brief, STYLE.md module rule). */
class JacksonOnlyInIoTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPath(java.nio.file.Path.of("target/classes"));

    @Test
    void jacksonOnlyInTheIoPackage() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("io.dojosim.workload.io..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..");
        rule.check(CLASSES);
    }

    @Test
    void theRuleCanFail() {
        // the io package does use Jackson: the same rule aimed at it must report violations
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> noClasses()
                .that().resideInAPackage("io.dojosim.workload.io..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..").check(CLASSES));
    }

    @Test
    void modelAndGeneratorsDoNotDependOnTheIoPackage() {
        noClasses().that().resideInAnyPackage("io.dojosim.workload", "io.dojosim.workload.gen")
                .should().dependOnClassesThat().resideInAPackage("io.dojosim.workload.io..").check(CLASSES);
    }
}
