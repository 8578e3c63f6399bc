package dev.digits.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;

/**
 * Makes an exported saved_model.pb loadable by older TensorFlow runtimes (older TF Serving
 * releases, TF Java 0.4/0.5): every node attribute whose value is its op's default is dropped, as
 * TensorFlow's own exporters can do ({@code strip_default_attrs}). A runtime fills in defaults it
 * knows; an attribute it does not know (MatMul's {@code grad_a} and {@code grad_b}, new in
 * TensorFlow 2.16) is an error there, even when set to its default. The graph also records the
 * TensorFlow version that wrote it.
 */
public final class PortableGraph {
  private PortableGraph() {}

  /** Rewrites {@code saved_model.pb} in place (it is in the export's temporary folder). */
  static void rewrite(Path savedModelPb) throws IOException {
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(savedModelPb));
    Map<String, OpDef> ops = new HashMap<>();
    for (OpDef op : TensorFlow.registeredOpList().getOpList()) {
      ops.put(op.getName(), op);
    }
    SavedModel.Builder out = model.toBuilder();
    for (int i = 0; i < out.getMetaGraphsCount(); i++) {
      MetaGraphDef.Builder meta = out.getMetaGraphsBuilder(i);
      meta.getMetaInfoDefBuilder().setTensorflowVersion(TensorFlow.version());
      GraphDef.Builder graph = meta.getGraphDefBuilder();
      for (int n = 0; n < graph.getNodeCount(); n++) {
        strip(graph.getNodeBuilder(n), ops);
      }
      for (int f = 0; f < graph.getLibraryBuilder().getFunctionCount(); f++) {
        FunctionDef.Builder function = graph.getLibraryBuilder().getFunctionBuilder(f);
        for (int n = 0; n < function.getNodeDefCount(); n++) {
          strip(function.getNodeDefBuilder(n), ops);
        }
      }
    }
    Files.write(savedModelPb, out.build().toByteArray());
  }

  /** Drops the attributes of {@code node} that hold their op's default value. */
  static void strip(NodeDef.Builder node, Map<String, OpDef> ops) {
    OpDef op = ops.get(node.getOp());
    if (op == null) {
      return; // a function call or an op this runtime does not list: left as it is
    }
    for (OpDef.AttrDef attr : op.getAttrList()) {
      AttrValue value = node.getAttrMap().get(attr.getName());
      if (value != null && attr.hasDefaultValue() && value.equals(attr.getDefaultValue())) {
        node.removeAttr(attr.getName());
      }
    }
  }
}
