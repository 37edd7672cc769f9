package org.unicom4j.model.checkpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.unicom4j.data.FileFormatException;

/**
 * An ordered map from parameter name to {@link HostTensor}, as a checkpoint holds it, with the checks a model
 * loader needs ({@link #require}, {@link #requireExactly}) and the removal of wrapper prefixes
 * ({@link #stripPrefixes}) that DataParallel ({@code module.}), torch.compile ({@code _orig_mod.}) and training
 * wrappers ({@code model.}) add.
 *
 * <p>A state dict read from a file owns the file's memory mapping: close it when its tensors are no longer
 * needed (copies made with {@link HostTensor#toFloatArray()} stay valid). Views made by {@link #stripPrefixes()}
 * share the mapping; closing any of them closes it.
 */
public final class StateDict implements AutoCloseable, Iterable<HostTensor> {
    /** Prefixes removed by {@link #stripPrefixes()}, tried in this order until none applies. */
    public static final List<String> STRIPPABLE_PREFIXES = List.of("module.", "_orig_mod.", "model.");

    private final String source;
    private final Map<String, HostTensor> tensors;
    private final Map<String, String> metadata;
    private final List<String> strippedPrefixes;
    private final AutoCloseable resource;

    StateDict(String source, Collection<HostTensor> tensors, Map<String, String> metadata,
              List<String> strippedPrefixes, AutoCloseable resource) {
        this.source = source;
        LinkedHashMap<String, HostTensor> map = new LinkedHashMap<>();
        for (HostTensor t : tensors) {
            if (map.put(t.name(), t) != null) {
                throw new FileFormatException(source + ": duplicate tensor name '" + t.name() + "'");
            }
        }
        this.tensors = Collections.unmodifiableMap(map);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.strippedPrefixes = List.copyOf(strippedPrefixes);
        this.resource = resource;
    }

    /** A state dict over tensors already in memory (nothing to close), in the given order. */
    public static StateDict of(String source, Collection<HostTensor> tensors) {
        return new StateDict(source, tensors, Map.of(), List.of(), null);
    }

    /** The same tensors with string metadata attached (what a safetensors {@code __metadata__} holds). */
    public StateDict withMetadata(Map<String, String> newMetadata) {
        return new StateDict(source, tensors.values(), newMetadata, strippedPrefixes, resource);
    }

    /** Where the tensors came from (a file name), used in every error message. */
    public String source() {
        return source;
    }

    public int size() {
        return tensors.size();
    }

    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    /** The names, in checkpoint order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The tensors, in checkpoint order. */
    public Collection<HostTensor> tensors() {
        return tensors.values();
    }

    @Override
    public Iterator<HostTensor> iterator() {
        return tensors.values().iterator();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Optional<HostTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** String metadata (safetensors {@code __metadata__}); empty for PyTorch checkpoints. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The prefixes {@link #stripPrefixes()} removed, outermost first; empty if none. */
    public List<String> strippedPrefixes() {
        return strippedPrefixes;
    }

    /** Total number of elements over all tensors. */
    public long elementCount() {
        long n = 0;
        for (HostTensor t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /** The tensor called {@code name}; a one-line error naming the file if there is none. */
    public HostTensor get(String name) {
        HostTensor t = tensors.get(name);
        if (t == null) {
            throw new StateDictMismatchException(source + ": no tensor '" + name + "'" + hint(name));
        }
        return t;
    }

    /**
     * The tensor called {@code name}, checked to have {@code expectedShape}: a one-line error naming the file,
     * the key, the shape found and the shape expected otherwise.
     */
    public HostTensor require(String name, long... expectedShape) {
        HostTensor t = get(name);
        if (!t.hasShape(expectedShape)) {
            throw new StateDictMismatchException(source + ": tensor '" + name + "' has shape "
                    + HostTensor.formatShape(t.shape()) + ", expected " + HostTensor.formatShape(expectedShape));
        }
        return t;
    }

    /** Fails with one line listing missing and unexpected names unless the names are exactly {@code expected}. */
    public void requireExactly(Collection<String> expected) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(tensors.keySet());
        Set<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(new LinkedHashSet<>(expected));
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new StateDictMismatchException(source + ": " + summarize("missing", missing)
                    + (missing.isEmpty() || unexpected.isEmpty() ? "" : "; ") + summarize("unexpected", unexpected)
                    + " (" + expected.size() + " expected, " + tensors.size() + " found)");
        }
    }

    private static String summarize(String label, Set<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        List<String> shown = new ArrayList<>();
        for (String n : names) {
            if (shown.size() == 5) {
                shown.add("... " + (names.size() - 5) + " more");
                break;
            }
            shown.add("'" + n + "'");
        }
        return names.size() + " " + label + " " + String.join(", ", shown);
    }

    /**
     * Removes wrapper prefixes shared by every name ({@link #STRIPPABLE_PREFIXES}, repeatedly, so
     * {@code _orig_mod.module.x} becomes {@code x}). Returns this state dict if nothing applies.
     */
    public StateDict stripPrefixes() {
        List<String> stripped = new ArrayList<>(strippedPrefixes);
        Collection<HostTensor> current = tensors.values();
        boolean changed = true;
        while (changed && !current.isEmpty()) {
            changed = false;
            for (String prefix : STRIPPABLE_PREFIXES) {
                if (current.stream().allMatch(t -> t.name().startsWith(prefix) && t.name().length() > prefix.length())) {
                    current = current.stream().map(t -> t.withName(t.name().substring(prefix.length()))).toList();
                    stripped.add(prefix);
                    changed = true;
                    break;
                }
            }
        }
        if (stripped.size() == strippedPrefixes.size()) {
            return this;
        }
        return new StateDict(source, current, metadata, stripped, resource);
    }

    /** One line saying what {@link #stripPrefixes()} did, for logs and the converter. */
    public String describeStripping() {
        if (strippedPrefixes.isEmpty()) {
            return "no prefix stripped";
        }
        return "stripped prefix '" + String.join("", strippedPrefixes) + "' from all " + size() + " names";
    }

    private String hint(String name) {
        for (String key : tensors.keySet()) {
            if (key.endsWith("." + name)) {
                return " (found '" + key + "': strip its prefix with stripPrefixes())";
            }
        }
        return " (" + tensors.size() + " tensors" + (tensors.isEmpty() ? ")"
                : ", the first is '" + tensors.keySet().iterator().next() + "')");
    }

    /** Releases the file mapping the tensors are views of (nothing for in-memory state dicts). */
    @Override
    public void close() {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException(source + ": cannot release the mapping: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "StateDict(" + source + ", " + tensors.size() + " tensors)";
    }
}
