package dev.digits;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages depend in one direction only: bench → cli → pipeline → report, serve → train,
 * predict → export, data → model, util. Lower layers never reach up, and no two packages need each other.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.digits");

  @Test
  void layersPointOneWay() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("bench").definedBy("dev.digits.bench..")
        .layer("cli").definedBy("dev.digits.cli..")
        .layer("pipeline").definedBy("dev.digits.pipeline..")
        .layer("report").definedBy("dev.digits.report..")
        .layer("serve").definedBy("dev.digits.serve..")
        .layer("train").definedBy("dev.digits.train..")
        .layer("predict").definedBy("dev.digits.predict..")
        .layer("export").definedBy("dev.digits.export..")
        .layer("data").definedBy("dev.digits.data..")
        .layer("model").definedBy("dev.digits.model..")
        .layer("util").definedBy("dev.digits.util..")
        .whereLayer("bench").mayNotBeAccessedByAnyLayer()
        .whereLayer("cli").mayOnlyBeAccessedByLayers("bench")
        .whereLayer("pipeline").mayOnlyBeAccessedByLayers("cli", "bench")
        .whereLayer("report").mayOnlyBeAccessedByLayers("pipeline", "cli", "bench")
        .whereLayer("serve").mayOnlyBeAccessedByLayers("cli", "bench")
        .whereLayer("train").mayOnlyBeAccessedByLayers("report", "pipeline", "cli", "bench")
        .whereLayer("predict").mayOnlyBeAccessedByLayers("report", "serve", "pipeline", "cli", "bench")
        .whereLayer("export").mayOnlyBeAccessedByLayers("train", "predict", "report", "serve", "pipeline", "cli",
            "bench")
        .whereLayer("data").mayOnlyBeAccessedByLayers("train", "predict", "report", "serve", "pipeline", "cli",
            "bench")
        .whereLayer("model").mayOnlyBeAccessedByLayers("export", "data", "train", "predict", "report", "serve",
            "pipeline", "cli", "bench")
        .check(MAIN);
  }

  @Test
  void noPackagesNeedEachOther() {
    slices().matching("dev.digits.(*)..").should().beFreeOfCycles().check(MAIN);
  }
}
