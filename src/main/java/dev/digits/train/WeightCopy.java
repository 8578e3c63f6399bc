package dev.digits.train;

import dev.digits.model.ModelContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Sets a training graph's model variables to an exported model's: the exporter keeps every
 * variable's name, so each is read by name from the SavedModel's session and fed into an assign
 * op here. (A SavedModel's variables cannot be restored as a training checkpoint: it holds no
 * optimizer state, which a restore would demand.)
 */
final class WeightCopy {
  private final List<Variable<TFloat32>> variables;
  private final List<Placeholder<TFloat32>> values;
  private final List<Assign<TFloat32>> assigns;

  private WeightCopy(List<Variable<TFloat32>> variables, List<Placeholder<TFloat32>> values, List<Assign<TFloat32>> assigns) {
    this.variables = variables;
    this.values = values;
    this.assigns = assigns;
  }

  /** Adds an assign op per variable to the graph (before its session is made). */
  static WeightCopy into(Ops tf, List<Variable<TFloat32>> variables) {
    List<Placeholder<TFloat32>> values = new ArrayList<>();
    List<Assign<TFloat32>> assigns = new ArrayList<>();
    for (Variable<TFloat32> v : variables) {
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class);
      values.add(p);
      assigns.add(tf.assign(v, p));
    }
    return new WeightCopy(variables, values, assigns);
  }

  /**
   * Copies the exported model's values into {@code session}'s variables.
   *
   * @throws IllegalArgumentException when the model lacks a variable or holds it in another shape
   *     (a network of another width)
   */
  void from(Path savedModel, Session session) {
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), ModelContract.SERVE_TAG)) {
      for (int i = 0; i < variables.size(); i++) {
        String name = variables.get(i).op().name();
        if (bundle.graph().operation(name) == null) {
          throw new IllegalArgumentException(savedModel + " has no variable '" + name + "': not a model of this network");
        }
        try (Result r = bundle.session().runner().fetch(name).run()) {
          Tensor value = r.get(0);
          if (!value.shape().equals(variables.get(i).shape())) {
            throw new IllegalArgumentException(savedModel + ": variable '" + name + "' has shape " + value.shape()
                + ", this network's has " + variables.get(i).shape() + " (another --width?)");
          }
          session.runner().feed(values.get(i), value).addTarget(assigns.get(i)).run();
        }
      }
    }
  }
}
