package org.ssdspark.export.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * Encoders for the ONNX messages the export writes: ModelProto, OperatorSetIdProto, StringStringEntryProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto(.Tensor), TensorShapeProto(.Dimension).
 * Field numbers and enum values are those of onnx/onnx.proto; only the fields used are named here. Each method
 * returns the encoded message.
 */
final class OnnxMessages {
    /** TensorProto.DataType. */
    static final int FLOAT = 1;
    static final int INT64 = 7;

    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_DOC_STRING = 6;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_METADATA_PROPS = 14;
    // OperatorSetIdProto (domain 1 left out: the default ONNX domain)
    private static final int OPSET_VERSION = 2;
    // StringStringEntryProto
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_DOC_STRING = 10;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto and its AttributeType
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_F = 2;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT = 2;
    private static final int TYPE_INTS = 7;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private OnnxMessages() {
    }

    static byte[] model(long irVersion, long opset, String producer, String producerVersion, String doc, byte[] graph,
                        Map<String, String> metadata) {
        ProtoWriter m = new ProtoWriter()
                .varint(MODEL_IR_VERSION, irVersion)
                .string(MODEL_PRODUCER_NAME, producer)
                .string(MODEL_PRODUCER_VERSION, producerVersion)
                .string(MODEL_DOC_STRING, doc)
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, new ProtoWriter().varint(OPSET_VERSION, opset));
        metadata.forEach((k, v) -> m.message(MODEL_METADATA_PROPS,
                new ProtoWriter().string(ENTRY_KEY, k).string(ENTRY_VALUE, v)));
        return m.toByteArray();
    }

    static byte[] graph(String name, String doc, List<byte[]> nodes, List<byte[]> initializers, List<byte[]> inputs,
                        List<byte[]> outputs) {
        ProtoWriter g = new ProtoWriter();
        nodes.forEach(n -> g.message(GRAPH_NODE, n));
        g.string(GRAPH_NAME, name);
        initializers.forEach(t -> g.message(GRAPH_INITIALIZER, t));
        g.string(GRAPH_DOC_STRING, doc);
        inputs.forEach(v -> g.message(GRAPH_INPUT, v));
        outputs.forEach(v -> g.message(GRAPH_OUTPUT, v));
        return g.toByteArray();
    }

    static byte[] node(String opType, String name, List<String> inputs, List<String> outputs, List<byte[]> attributes) {
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(i -> n.string(NODE_INPUT, i));
        outputs.forEach(o -> n.string(NODE_OUTPUT, o));
        n.string(NODE_NAME, name).string(NODE_OP_TYPE, opType);
        attributes.forEach(a -> n.message(NODE_ATTRIBUTE, a));
        return n.toByteArray();
    }

    static byte[] intAttribute(String name, long value) {
        return new ProtoWriter().string(ATTRIBUTE_NAME, name).varint(ATTRIBUTE_I, value)
                .varint(ATTRIBUTE_TYPE, TYPE_INT).toByteArray();
    }

    static byte[] intsAttribute(String name, long... values) {
        return new ProtoWriter().string(ATTRIBUTE_NAME, name).varints(ATTRIBUTE_INTS, values)
                .varint(ATTRIBUTE_TYPE, TYPE_INTS).toByteArray();
    }

    static byte[] floatAttribute(String name, float value) {
        return new ProtoWriter().string(ATTRIBUTE_NAME, name).float32(ATTRIBUTE_F, value)
                .varint(ATTRIBUTE_TYPE, TYPE_FLOAT).toByteArray();
    }

    static byte[] floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor(name, dims, FLOAT, raw.array());
    }

    static byte[] int64Tensor(String name, long[] dims, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return tensor(name, dims, INT64, raw.array());
    }

    /** Values in raw_data: fixed width, little-endian, row-major, as onnx.proto asks of raw_data. */
    private static byte[] tensor(String name, long[] dims, int dataType, byte[] raw) {
        return new ProtoWriter().varints(TENSOR_DIMS, dims).varint(TENSOR_DATA_TYPE, dataType)
                .string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw).toByteArray();
    }

    /**
     * A tensor-typed graph input or output.
     *
     * @param dims a {@link Long} for a fixed size, a {@link String} for a symbolic one (the batch)
     */
    static byte[] tensorValueInfo(String name, int elemType, List<Object> dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof Long size) {
                dim.varint(DIM_VALUE, size);
            } else {
                dim.string(DIM_PARAM, (String) d);
            }
            shape.message(SHAPE_DIM, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(TENSOR_TYPE_ELEM_TYPE, elemType).message(TENSOR_TYPE_SHAPE, shape);
        return new ProtoWriter().string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new ProtoWriter().message(TYPE_TENSOR_TYPE, tensorType)).toByteArray();
    }
}
