package org.ssdspark.torch;

import java.util.Optional;

/**
 * The only Python globals a state_dict pickle may name. Anything else (os.system, builtins.eval, a model class)
 * is refused when the GLOBAL opcode is read, so nothing named by the file is ever looked up or called.
 */
record AllowedGlobal(String qualifiedName, Kind kind, TorchDType storageType) {

    enum Kind { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER, STORAGE_TYPE }

    static Optional<AllowedGlobal> lookup(String module, String name) {
        String qualified = module + "." + name;
        switch (qualified) {
            case "collections.OrderedDict":
                return Optional.of(new AllowedGlobal(qualified, Kind.ORDERED_DICT, null));
            case "torch._utils._rebuild_tensor_v2":
                return Optional.of(new AllowedGlobal(qualified, Kind.REBUILD_TENSOR_V2, null));
            case "torch._utils._rebuild_parameter":
                return Optional.of(new AllowedGlobal(qualified, Kind.REBUILD_PARAMETER, null));
            default:
                if (module.equals("torch")) {
                    return TorchDType.forStorageClass(name)
                            .map(t -> new AllowedGlobal(qualified, Kind.STORAGE_TYPE, t));
                }
                return Optional.empty();
        }
    }

    /** True for torch.XxxStorage names we recognise but cannot convert, to report them as a dtype problem. */
    static boolean isUnsupportedStorageType(String module, String name) {
        return module.equals("torch") && name.endsWith("Storage") && TorchDType.forStorageClass(name).isEmpty();
    }
}
