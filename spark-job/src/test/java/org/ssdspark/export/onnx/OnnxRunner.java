package org.ssdspark.export.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** An exported model in ONNX Runtime (CPU): a batch of preprocessed images in, scores and boxes out. */
final class OnnxRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /** scores [N * P * C] and boxes [N * P * 4], row-major, with their shapes. */
    record Outputs(float[] scores, long[] scoresShape, float[] boxes, long[] boxesShape) {
    }

    OnnxRunner(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            session = env.createSession(model, options);
        }
    }

    Outputs run(float[] images, int n, int side) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[]{n, 3, side, side});
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            OnnxTensor scores = (OnnxTensor) result.get(OnnxExport.SCORES).orElseThrow();
            OnnxTensor boxes = (OnnxTensor) result.get(OnnxExport.BOXES).orElseThrow();
            return new Outputs(floats(scores), scores.getInfo().getShape(), floats(boxes), boxes.getInfo().getShape());
        }
    }

    /** Each input's and output's declared shape, -1 for a symbolic dimension. */
    Map<String, String> declaredShapes() throws OrtException {
        Map<String, String> shapes = new LinkedHashMap<>();
        for (Map<String, NodeInfo> infos : java.util.List.of(session.getInputInfo(), session.getOutputInfo())) {
            for (NodeInfo info : infos.values()) {
                TensorInfo t = (TensorInfo) info.getInfo();
                shapes.put(info.getName(), t.type + " " + Arrays.toString(t.getShape()));
            }
        }
        return shapes;
    }

    Map<String, String> metadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
