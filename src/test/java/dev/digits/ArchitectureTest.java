package dev.digits;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rooms follow the data's way, lowest first, and a layer never imports a higher one:
 * util → model (the contract and the graph) → imaging (bytes to model input) → data → train →
 * export → predict → numbers → report → pipeline → serve → cli. The tools (benchmarks, generators)
 * and the Spark job are source sets of their own, never in the product; the Spark job, a command
 * of its own, reads images with the product's imaging, predict and numbers layers.
 */
class ArchitectureTest {
  private static final List<String> LAYERS = List.of("util", "model", "imaging", "data", "train", "export",
      "predict", "numbers", "report", "pipeline", "serve", "cli");

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.digits");

  @Test
  void layersPointOneWay() {
    LayeredArchitecture rule = com.tngtech.archunit.library.Architectures.layeredArchitecture()
        .consideringOnlyDependenciesInLayers();
    for (String layer : LAYERS) {
      rule = rule.layer(layer).definedBy("dev.digits." + layer + "..");
    }
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      String[] higher = LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new);
      rule = rule.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(higher);
    }
    rule = rule.whereLayer("cli").mayNotBeAccessedByAnyLayer();
    rule.check(MAIN);
  }

  @Test
  void everyProductPackageIsALayer() {
    List<String> packages = MAIN.stream().map(c -> c.getPackageName())
        .filter(p -> p.startsWith("dev.digits.")).map(p -> p.split("\\.")[2]).distinct().sorted().toList();
    List<String> unknown = packages.stream().filter(p -> !LAYERS.contains(p)).toList();
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), unknown, "packages outside the layers " + LAYERS);
  }

  @Test
  void toolsAreNotInTheProduct() {
    noClasses().should().resideInAPackage("dev.digits.bench..").allowEmptyShould(true).check(MAIN);
    org.junit.jupiter.api.Assertions.assertTrue(Arrays.stream(new String[] {"target/classes/dev/digits/bench"})
        .noneMatch(d -> java.nio.file.Files.exists(java.nio.file.Path.of(d))), "target/classes holds tools");
  }

  @Test
  void sparkStaysOutOfTheProduct() {
    // Spark is on the compile class path ("provided", for src/spark/java): the product must not use it.
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.spark..").check(MAIN);
    noClasses().should().dependOnClassesThat().resideInAPackage("scala..").check(MAIN);
  }

  @Test
  void theSparkJobUsesTheProductNotTheOtherWayRound() {
    JavaClasses spark = new ClassFileImporter().importPath(java.nio.file.Path.of("target", "spark-classes"));
    org.junit.jupiter.api.Assertions.assertFalse(spark.isEmpty(), "target/spark-classes (mvn process-classes)");
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.digits.serve..", "dev.digits.bench..",
        "dev.digits.pipeline..", "dev.digits.train..").check(spark);
  }

  @Test
  void noPackagesNeedEachOther() {
    slices().matching("dev.digits.(*)..").should().beFreeOfCycles().check(MAIN);
  }
}
