package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads files written by {@code torch.save} (PyTorch 1.6 and later): a zip archive holding
 * {@code <root>/data.pkl}, a pickle whose persistent ids name storages, and each storage's raw little-endian
 * bytes at {@code <root>/data/<key>} (see torch/serialization.py, {@code _save} and {@code _load}).
 *
 * <p>The file is memory-mapped and every tensor is a view of its storage's slice of the mapping, so a 2 GB
 * checkpoint costs no heap until values are converted. Only the globals a checkpoint of tensors needs are
 * resolved ({@code torch._utils._rebuild_tensor_v2} and friends, the storage classes,
 * {@code collections.OrderedDict}, NumPy arrays); any other global is an error naming it.
 */
public final class TorchCheckpointReader {
    /** Keys under which training scripts commonly nest the weights, tried in order. */
    static final List<String> NESTED_STATE_DICT_KEYS =
            List.of("state_dict", "model_state_dict", "model", "module", "net", "network", "ema");

    private TorchCheckpointReader() {
    }

    /**
     * The state dict of a checkpoint: the top-level mapping of names to tensors, or the first such mapping under
     * one of {@link #NESTED_STATE_DICT_KEYS} (then {@link StateDict#source()} says which, e.g.
     * {@code ckpt.pt['state_dict']}). Names are kept as saved; see {@link StateDict#stripPrefixes()}.
     */
    public static StateDict read(Path file) throws IOException {
        TorchCheckpoint checkpoint = open(file);
        try {
            return stateDictOf(file, checkpoint.root(), checkpoint.mapping());
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    /** The whole unpickled object; tensors in it stay valid until the result is closed. */
    public static TorchCheckpoint open(Path file) throws IOException {
        MappedFile mapped = MappedFile.open(file);
        try {
            return new TorchCheckpoint(file, unpickle(file, mapped), mapped);
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private static Object unpickle(Path file, MappedFile mapped) {
        MemorySegment bytes = mapped.contents();
        if (bytes.byteSize() == 0) {
            throw new CheckpointFormatException(file, "empty file, expected a torch.save zip archive");
        }
        if (!ZipArchive.looksLikeZip(bytes)) {
            if ((bytes.get(ValueLayout.JAVA_BYTE, 0) & 0xFF) == 0x80) {
                throw new CheckpointFormatException(file, "legacy torch.save format (PyTorch before 1.6) is not "
                        + "supported: load it in PyTorch and torch.save it again");
            }
            throw new CheckpointFormatException(file, "not a torch.save zip archive (no zip signature)");
        }
        ZipArchive zip;
        try {
            zip = ZipArchive.read(mapped);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage(), e);
        }
        ZipArchive.Entry pickle = null;
        for (ZipArchive.Entry e : zip.entries()) {
            String name = e.name();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                pickle = e;
                break;
            }
        }
        if (pickle == null) {
            throw new CheckpointFormatException(file, "no <root>/data.pkl in the archive: not a torch.save file");
        }
        String root = pickle.name().substring(0, pickle.name().length() - "data.pkl".length());
        try {
            ZipArchive.Entry byteOrder = zip.find(root + "byteorder");
            if (byteOrder != null) {
                String order = new String(zip.readChecked(byteOrder), StandardCharsets.US_ASCII).strip();
                if (!order.equals("little")) {
                    throw new CheckpointFormatException(file, "storages are '" + order
                            + "'-endian; only little-endian checkpoints are supported");
                }
            }
            StorageLoader storages = new StorageLoader(file, zip, root);
            Unpickler unpickler = new Unpickler(torchGlobals(), storages::load);
            return unpickler.load(zip.readChecked(pickle));
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (PickleException | IllegalArgumentException | IllegalStateException e) {
            // the pickle, zip and tensor parsers name no file; their malformed-input errors get it here
            throw new CheckpointFormatException(file, e.getMessage(), e);
        }
    }

    /** Storage classes stand for their element type; they are only ever arguments, never called. */
    record StorageType(String className, DType dtype) implements PythonCallable {
        @Override
        public Object call(List<Object> args) {
            throw new PickleException("torch." + className + " cannot be called in a checkpoint");
        }
    }

    /** A storage: the element type and the bytes of {@code <root>/data/<key>}. */
    record Storage(String key, DType dtype, MemorySegment bytes) {
    }

    static Map<String, PythonCallable> torchGlobals() {
        Map<String, PythonCallable> g = new HashMap<>(Unpickler.plainGlobals());
        for (String storage : List.of("HalfStorage", "BFloat16Storage", "FloatStorage", "DoubleStorage",
                "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
                "UntypedStorage")) {
            g.put("torch." + storage, new StorageType(storage, DType.fromTorchStorage(storage)));
        }
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        g.put("torch._utils._rebuild_tensor_v2", args -> rebuildTensor(args, 6));
        // _rebuild_tensor(storage, storage_offset, size, stride): the pre-1.0 spelling.
        g.put("torch._utils._rebuild_tensor", args -> rebuildTensor(args, 4));
        // _rebuild_parameter(data, requires_grad, backward_hooks): a Parameter is its data here.
        g.put("torch._utils._rebuild_parameter", args -> args.getFirst());
        g.put("torch._utils._rebuild_parameter_with_state", args -> args.getFirst());
        return g;
    }

    private static HostTensor rebuildTensor(List<Object> args, int minArgs) {
        if (args.size() < minArgs || !(args.get(0) instanceof Storage storage)) {
            throw new PickleException("unexpected arguments to _rebuild_tensor: " + args.size() + ", first a "
                    + Unpickler.typeName(args.isEmpty() ? null : args.getFirst()));
        }
        long offset = asLong(args.get(1), "storage offset");
        long[] size = longs(args.get(2), "size");
        long[] stride = longs(args.get(3), "stride");
        try {
            return HostTensor.strided("", storage.dtype(), size, stride, offset, storage.bytes());
        } catch (IllegalArgumentException e) {
            throw new PickleException("storage '" + storage.key() + "': " + e.getMessage().replace("tensor '': ", ""));
        }
    }

    /** Resolves the persistent ids {@code ('storage', storage_type, key, location, numel)}; shared keys share. */
    private static final class StorageLoader {
        private final Path file;
        private final ZipArchive zip;
        private final String root;
        private final Map<String, Storage> loaded = new HashMap<>();

        StorageLoader(Path file, ZipArchive zip, String root) {
            this.file = file;
            this.zip = zip;
            this.root = root;
        }

        Object load(Object pid) {
            List<?> id = Unpickler.asList(pid);
            if (id.size() < 5 || !"storage".equals(id.get(0)) || !(id.get(1) instanceof StorageType type)
                    || !(id.get(2) instanceof String key)) {
                throw new PickleException("unexpected persistent id " + id);
            }
            long numel = asLong(id.get(4), "storage size");
            Storage storage = loaded.get(key);
            if (storage != null) {
                return storage;
            }
            ZipArchive.Entry entry = zip.find(root + "data/" + key);
            if (entry == null) {
                throw new CheckpointFormatException(file, "storage '" + key + "' is missing: no entry "
                        + root + "data/" + key);
            }
            MemorySegment bytes = zip.contents(entry);
            // A typed storage of numel elements; an UntypedStorage counts bytes.
            long needed = Math.multiplyExact(numel, (long) type.dtype().byteSize());
            if (bytes.byteSize() < needed) {
                throw new CheckpointFormatException(file, "truncated storage '" + key + "': " + type.className()
                        + " of " + numel + " elements needs " + needed + " bytes, the entry has " + bytes.byteSize());
            }
            storage = new Storage(key, type.dtype(), bytes.asSlice(0, needed));
            loaded.put(key, storage);
            return storage;
        }
    }

    /** The mapping of names to tensors at the top of {@code root}, or one level down under a known key. */
    static StateDict stateDictOf(Path file, Object root, MappedFile mapping) {
        if (root instanceof Map<?, ?> top) {
            String problem = tensorMapProblem(top);
            if (problem == null) {
                return new StateDict(file.toString(), named(top), Map.of(), List.of(), mapping);
            }
            for (String key : NESTED_STATE_DICT_KEYS) {
                if (top.get(key) instanceof Map<?, ?> inner && !inner.isEmpty() && tensorMapProblem(inner) == null) {
                    return new StateDict(file + "['" + key + "']", named(inner), Map.of(), List.of(), mapping);
                }
            }
            throw new CheckpointFormatException(file, "no state dict: " + problem + ", and none of "
                    + NESTED_STATE_DICT_KEYS + " holds a mapping of names to tensors");
        }
        throw new CheckpointFormatException(file, "no state dict: the checkpoint holds a "
                + Unpickler.typeName(root) + ", expected a dict of tensors");
    }

    private static String tensorMapProblem(Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                return "key " + e.getKey() + " is not a string";
            }
            if (!(e.getValue() instanceof HostTensor)) {
                return "entry '" + e.getKey() + "' is a " + Unpickler.typeName(e.getValue()) + ", not a tensor";
            }
        }
        return null;
    }

    private static List<HostTensor> named(Map<?, ?> map) {
        List<HostTensor> tensors = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            tensors.add(((HostTensor) e.getValue()).withName((String) e.getKey()));
        }
        return tensors;
    }

    private static long asLong(Object o, String what) {
        if (!(o instanceof Long v)) {
            throw new PickleException(what + " is a " + Unpickler.typeName(o) + ", expected an int");
        }
        return v;
    }

    private static long[] longs(Object o, String what) {
        List<?> items = Unpickler.asList(o);
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asLong(items.get(i), what);
        }
        return out;
    }
}
