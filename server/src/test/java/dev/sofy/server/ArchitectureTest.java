package dev.sofy.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/** How the server's packages may depend on each other and on the wire: checked on its compiled classes. */
final class ArchitectureTest {
    private static final String SERVER = "dev.sofy.server";
    private static final JavaClasses SERVER_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(SERVER);

    /** Every package its own slice: a subpackage such as delivery.smpp is not part of delivery. */
    private static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            boolean ofTheServer = name.equals(SERVER) || name.startsWith(SERVER + ".");
            return ofTheServer ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "each package of " + SERVER;
        }
    };

    @Test
    void noPackageOfTheServerDependsOnItselfThroughOtherPackages() {
        slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(SERVER_CLASSES);
    }

    @Test
    void onlyTheHttpPackagesUseTheGeneratedWireModel() {
        noClasses().that().resideOutsideOfPackage(SERVER + ".http..")
                .should().dependOnClassesThat().resideInAPackage("dev.sofy.api..")
                .because("the domain knows nothing of the wire: http maps between the two")
                .check(SERVER_CLASSES);
    }

    @Test
    void onlyTheHttpPackagesAndAppUseJavalin() {
        noClasses().that().resideOutsideOfPackage(SERVER + ".http..").and().doNotBelongToAnyOf(App.class)
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .because("handlers translate and App wires; the rest of the server does not know its web framework")
                .check(SERVER_CLASSES);
    }
}
