package io.dojosim.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module rule of STYLE.md, checked on the compiled main classes of every module (sim-cli sees
 * them all on its test class path; test classes are left out):
 *
 * <pre>
 *   sim-core  &lt;-  sim-noc  &lt;-  sim-d1  &lt;-  sim-pod  &lt;-  sim-cli
 *   sim-core  &lt;-  sim-workload  &lt;-  sim-pod
 * </pre>
 *
 * Maven already refuses a module that imports a module it does not declare; these rules also hold
 * inside the reactor's class path (where everything is visible to sim-cli), keep the libraries
 * where they belong, keep {@code ..internal..} packages private to their module and forbid package
 * cycles. Every rule is built by a factory that takes package patterns, and
 * {@link #factoriesReportAViolationWhenOneExists} applies the same factories to classes that do
 * violate them, so a rule that could never fail would fail that test.
 */
@AnalyzeClasses(packages = "io.dojosim", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRuleTest {
    private static final String CORE = "io.dojosim.core..";
    private static final String NOC = "io.dojosim.noc..";
    private static final String D1 = "io.dojosim.d1..";
    private static final String WORKLOAD = "io.dojosim.workload..";
    private static final String POD = "io.dojosim.pod..";
    private static final String CLI = "io.dojosim.cli..";
    private static final String BENCH = "io.dojosim.bench..";

    static ArchRule mustNotDependOn(String layer, String... forbidden) {
        return noClasses().that().resideInAPackage(layer)
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("STYLE.md module rule: dependencies point one way");
    }

    static ArchRule librariesOnlyAtTheEdge(String[] modelLayers, String... libraries) {
        return noClasses().that().resideInAnyPackage(modelLayers)
                .should().dependOnClassesThat().resideInAnyPackage(libraries)
                .because("picocli and Logback belong to sim-cli, Jackson to the code that reads files");
    }

    /**
     * A class in {@code root.X..internal..} may be used only by classes of the same module
     * {@code root.X..}; the module is the first package segment below {@code root}.
     */
    static ArchRule internalPackagesArePrivate(String root) {
        ArchCondition<JavaClass> sameModule = new ArchCondition<>("use internal packages of their own module only") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String from = module(root, origin.getPackageName());
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    if (isInternal(target) && module(root, target) != null && !module(root, target).equals(from)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that().resideInAPackage(root + "..").should(sameModule)
                .because("packages named internal are private to their module");
    }

    static boolean isInternal(String pkg) {
        return pkg.endsWith(".internal") || pkg.contains(".internal.");
    }

    /** @return the first segment below root ("noc" for io.dojosim.noc.internal), or null outside root */
    static String module(String root, String pkg) {
        if (!pkg.startsWith(root + ".")) {
            return null;
        }
        String rest = pkg.substring(root.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /**
     * The resolved config stays at the edge: model packages take records (SystemSpec and the
     * parameter records); only each module's {@code bind} package (its binder) and the command
     * line read keys. ADR 0082.
     */
    static ArchRule configOnlyAtTheEdge(String[] modelLayers, String rawConfigType) {
        return noClasses().that().resideInAnyPackage(modelLayers).and().resideOutsideOfPackages("..bind..")
                .should().dependOnClassesThat().haveFullyQualifiedName(rawConfigType)
                .because("STYLE.md 6: the resolved config is bound once, at the edge, into records; models never see it");
    }

    @ArchTest
    static final ArchRule resolvedConfigOnlyInBinders = configOnlyAtTheEdge(new String[] {NOC, D1, POD, WORKLOAD},
            "io.dojosim.core.config.ResolvedConfig");

    static ArchRule noPackageCycles(String slicePattern) {
        return slices().matching(slicePattern).should().beFreeOfCycles();
    }

    @ArchTest
    static final ArchRule coreDependsOnNoOtherModule = mustNotDependOn(CORE, NOC, D1, WORKLOAD, POD, CLI, BENCH);

    @ArchTest
    static final ArchRule nocDependsOnCoreOnly = mustNotDependOn(NOC, D1, WORKLOAD, POD, CLI, BENCH);

    @ArchTest
    static final ArchRule d1DependsOnNocAndCoreOnly = mustNotDependOn(D1, WORKLOAD, POD, CLI, BENCH);

    @ArchTest
    static final ArchRule workloadDependsOnCoreOnly = mustNotDependOn(WORKLOAD, NOC, D1, POD, CLI, BENCH);

    @ArchTest
    static final ArchRule podDoesNotDependOnTheCommandLine = mustNotDependOn(POD, CLI, BENCH);

    @ArchTest
    static final ArchRule cliDoesNotDependOnBenchmarks = mustNotDependOn(CLI, BENCH);

    @ArchTest
    static final ArchRule noCommandLineLoggingBackendOrJacksonInModels = librariesOnlyAtTheEdge(
            new String[] {CORE, NOC, D1, POD}, "picocli..", "ch.qos.logback..", "com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule noCommandLineOrLoggingBackendInWorkloads = librariesOnlyAtTheEdge(
            new String[] {WORKLOAD}, "picocli..", "ch.qos.logback..");

    @ArchTest
    static final ArchRule internalPackagesArePrivateToTheirModule = internalPackagesArePrivate("io.dojosim");

    @ArchTest
    static final ArchRule noCyclesBetweenModules = noPackageCycles("io.dojosim.(*)..");

    /**
     * No cycles between any two packages. Caveats: two cycles existed when this rule was written
     * and are waived edge by edge, so that any other cycle still fails: sim-noc's
     * {@code noc.internal} uses the public {@code noc} types while {@code MeshNetwork} drives
     * {@code noc.internal}, and sim-pod's {@code pod.collective} uses {@code pod} types while
     * {@code PodSimulation} calls into {@code pod.collective}. Each goes away by moving the shared
     * types into a third package (or the facade into its own); then delete its waiver.
     */
    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("io.dojosim.(**)").should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage("io.dojosim.noc.internal"), resideInAPackage("io.dojosim.noc"))
            .ignoreDependency(resideInAPackage("io.dojosim.pod.collective"), resideInAPackage("io.dojosim.pod"));

    @ArchTest
    static final ArchRule noCyclesBetweenPackagesOfTheEngine = noPackageCycles("io.dojosim.core.(**)");

    // ---- the rules can fail ----

    /** Classes of this test: they depend on io.dojosim.core (below) and on ArchUnit. */
    private static JavaClasses thisTestsClasses() {
        return new ClassFileImporter().importClasses(ModuleRuleTest.class, Uses.class);
    }

    /** A dependency on sim-core, for the self-checks. */
    static final class Uses {
        final io.dojosim.core.time.ClockDomain domain = new io.dojosim.core.time.ClockDomain("x", 1_000_000_000L);
        final List<String> names = List.of();
    }

    @Test
    void factoriesReportAViolationWhenOneExists() {
        JavaClasses mine = thisTestsClasses();
        // io.dojosim.arch uses io.dojosim.core: the layering factory must see it ...
        assertTrue(mustNotDependOn("io.dojosim.arch..", CORE).evaluate(mine).hasViolation());
        // ... and not invent one that does not exist
        assertFalse(mustNotDependOn("io.dojosim.arch..", NOC).evaluate(mine).hasViolation());
        // the library factory, with ArchUnit standing in for a banned library
        assertTrue(librariesOnlyAtTheEdge(new String[] {"io.dojosim.arch.."}, "com.tngtech.archunit..")
                .evaluate(mine).hasViolation());
        // the edge factory, with ClockDomain (used by Uses below) standing in for the raw config
        assertTrue(configOnlyAtTheEdge(new String[] {"io.dojosim.arch.."}, "io.dojosim.core.time.ClockDomain").evaluate(mine).hasViolation());
        assertFalse(configOnlyAtTheEdge(new String[] {"io.dojosim.arch.."}, "io.dojosim.core.config.ResolvedConfig").evaluate(mine).hasViolation());
        // the cycle factory: ArchUnit's own lang and lang.syntax packages use each other
        JavaClasses lang = new ClassFileImporter().importPackages("com.tngtech.archunit.lang");
        assertTrue(noPackageCycles("com.tngtech.archunit.(**)").evaluate(lang).hasViolation());
        // the module arithmetic the internal-package rule relies on
        assertTrue(isInternal("io.dojosim.noc.internal"));
        assertTrue(isInternal("io.dojosim.noc.internal.route"));
        assertFalse(isInternal("io.dojosim.noc.internalish"));
        assertTrue("noc".equals(module("io.dojosim", "io.dojosim.noc.internal")));
        assertTrue("d1".equals(module("io.dojosim", "io.dojosim.d1")));
    }

    @Test
    void theInternalRuleFlagsAnotherModulesUseOfAnInternalPackage() {
        // ArchUnit ships a shaded Guava whose util.concurrent classes use util.concurrent.internal
        // (AbstractFuture extends InternalFutureFailureAccess). Seen from the root "...common",
        // both are the module "util": allowed. Seen from the root "...util.concurrent", the user
        // lies outside the module "internal": reported.
        String guava = "com.tngtech.archunit.thirdparty.com.google.common";
        JavaClasses concurrent = new ClassFileImporter().importPackages(guava + ".util.concurrent");
        assertFalse(internalPackagesArePrivate(guava).evaluate(concurrent).hasViolation(),
                "a module may use its own internal packages");
        assertTrue(internalPackagesArePrivate(guava + ".util.concurrent").evaluate(concurrent).hasViolation(),
                "another module may not");
    }
}
