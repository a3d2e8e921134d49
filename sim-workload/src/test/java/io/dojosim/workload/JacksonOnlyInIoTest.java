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
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.dojosim.workload");

    @Test
    void jacksonOnlyInTheIoPackage() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("io.dojosim.workload.io..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..");
        rule.check(CLASSES);
    }

    @Test
    void modelAndGeneratorsDoNotDependOnTheIoPackage() {
        noClasses().that().resideInAnyPackage("io.dojosim.workload", "io.dojosim.workload.gen")
                .should().dependOnClassesThat().resideInAPackage("io.dojosim.workload.io..").check(CLASSES);
    }
}
