package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A pickle virtual machine (protocols 0 to 5, as documented in CPython's Lib/pickletools.py) that builds plain
 * Java objects and calls nothing it was not told about.
 *
 * <p>Python values map to: {@code None} -> null, bool -> {@link Boolean}, int -> {@link Long} (or
 * {@link BigInteger} beyond 64 bits), float -> {@link Double}, str -> {@link String}, bytes and bytearray ->
 * {@code byte[]}, list -> mutable {@link List}, tuple -> unmodifiable {@link List}, dict and OrderedDict ->
 * {@link LinkedHashMap} (insertion order kept), set and frozenset -> {@link LinkedHashSet}.
 *
 * <p>Globals (classes and functions named by GLOBAL / STACK_GLOBAL) are resolved only through the table given to
 * the constructor; any other global is an error naming it, never a call. {@link #plain()} knows the few globals
 * plain data pickles use ({@code collections.OrderedDict}, {@code _codecs.encode}, sets, NumPy arrays).
 */
public final class Unpickler {
    private static final int HIGHEST_PROTOCOL = 5;

    private final Map<String, PythonCallable> globals;
    private final Function<Object, Object> persistentLoad;

    // State of one load().
    private byte[] in;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private int[] marks = new int[16];
    private int markCount;
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<Object, Object> builtObjects = new IdentityHashMap<>();

    /**
     * @param globals        {@code "module.name"} -> callable; Python 2 module names ({@code __builtin__},
     *                       {@code copy_reg}) are looked up under their Python 3 names
     * @param persistentLoad turns a persistent id (BINPERSID / PERSID) into an object; null to reject them
     */
    public Unpickler(Map<String, PythonCallable> globals, Function<Object, Object> persistentLoad) {
        this.globals = Map.copyOf(globals);
        this.persistentLoad = persistentLoad;
    }

    /** An unpickler for plain data: containers, numbers, strings, bytes, NumPy arrays (as {@link HostTensor}). */
    public static Unpickler plain() {
        return new Unpickler(plainGlobals(), null);
    }

    /** The globals {@link #plain()} resolves; other readers start from these and add their own. */
    public static Map<String, PythonCallable> plainGlobals() {
        Map<String, PythonCallable> g = new HashMap<>();
        g.put("collections.OrderedDict", Unpickler::newOrderedDict);
        // Protocol 2 pickles bytes as _codecs.encode(latin-1 text, 'latin1').
        g.put("_codecs.encode", args -> encodeText(args));
        g.put("builtins.bytearray", args -> args.isEmpty() ? new byte[0] : encodeText(args));
        // Protocol 2 pickles an empty bytes (e.g. the data of an empty NumPy array) as bytes() with no arguments.
        g.put("builtins.bytes", args -> args.isEmpty() ? new byte[0] : encodeText(args));
        g.put("builtins.set", args -> args.isEmpty() ? new LinkedHashSet<>() : new LinkedHashSet<>(asList(args.get(0))));
        g.put("builtins.frozenset", g.get("builtins.set"));
        g.putAll(NumpyPickleGlobals.globals());
        return g;
    }

    /** Loads a whole plain pickle file ({@link #plain()} globals). */
    public static Object loadFile(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return plain().load(bytes);
        } catch (PickleException e) {
            throw new PickleException(file + ": " + e.getMessage());
        }
    }

    /** Runs the pickle program in {@code pickle} and returns the object STOP leaves. Not thread-safe. */
    public Object load(byte[] pickle) {
        in = pickle;
        pos = 0;
        stack.clear();
        markCount = 0;
        memo.clear();
        builtObjects.clear();
        try {
            return run();
        } catch (IndexOutOfBoundsException e) {
            throw new PickleException("corrupt pickle: stack or memo underflow near byte " + pos);
        } catch (NumberFormatException e) {
            throw new PickleException("corrupt pickle: malformed number before byte " + pos);
        } finally {
            in = null;
            stack.clear();
            memo.clear();
            builtObjects.clear();
        }
    }

    private Object run() {
        while (true) {
            int at = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > HIGHEST_PROTOCOL) {
                        throw new PickleException("unsupported pickle protocol " + protocol);
                    }
                }
                case 0x95 -> need(8, "FRAME"); // FRAME: the whole stream is in memory; skip the frame length.
                case '.' -> { // STOP
                    if (stack.size() != 1 || markCount != 0) {
                        throw new PickleException("corrupt pickle: STOP with " + stack.size() + " objects on the stack");
                    }
                    return stack.removeLast();
                }
                // Constants and numbers.
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) i32());
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (u8() | (u8() << 8)));
                case 0x8a -> push(littleEndianInt(bytes(u8())));
                case 0x8b -> push(littleEndianInt(bytes(length(i32(), "LONG4"))));
                case 'G' -> push(Double.longBitsToDouble(bigEndianLong()));
                case 'I' -> push(parseIntLine(line()));
                case 'L' -> push(parseLongLine(line()));
                case 'F' -> push(parseFloatLine(line()));
                // Strings and bytes.
                case 0x8c -> push(utf8(u8()));
                case 'X' -> push(utf8(length(i32(), "BINUNICODE")));
                case 0x8d -> push(utf8(length(i64(), "BINUNICODE8")));
                case 'V' -> push(rawUnicodeEscape(line()));
                case 'C' -> push(bytes(u8()));
                case 'B' -> push(bytes(length(i32(), "BINBYTES")));
                case 0x8e, 0x96 -> push(bytes(length(i64(), "BINBYTES8")));
                case 'U' -> push(latin1(u8())); // Python 2 str: kept as text, one char per byte.
                case 'T' -> push(latin1(length(i32(), "BINSTRING")));
                case 'S' -> push(pythonStringLiteral(line()));
                case 0x98 -> { } // READONLY_BUFFER: bytes stay bytes.
                case 0x97 -> throw new PickleException("out-of-band pickle buffers (NEXT_BUFFER) are not supported");
                // Containers.
                case ']' -> push(new ArrayList<>());
                case '}' -> push(new LinkedHashMap<>());
                case ')' -> push(tuple(List.of()));
                case 0x8f -> push(new LinkedHashSet<>());
                case '(' -> mark();
                case 'l' -> push(new ArrayList<>(popMark()));
                case 't' -> push(tuple(popMark()));
                case 'd' -> push(dictOf(popMark()));
                case 0x85 -> push(tuple(popN(1)));
                case 0x86 -> push(tuple(popN(2)));
                case 0x87 -> push(tuple(popN(3)));
                case 0x91 -> push(new LinkedHashSet<>(popMark()));
                case 'a' -> {
                    Object item = pop();
                    appendAll(top(), Collections.singletonList(item));
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    appendAll(top(), items);
                }
                case 's' -> {
                    Object value = pop();
                    Object key = pop();
                    putAll(top(), Arrays.asList(key, value));
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    putAll(top(), items);
                }
                case 0x90 -> {
                    List<Object> items = popMark();
                    addAll(top(), items);
                }
                // Stack manipulation and memo.
                case '0' -> pop();
                case '2' -> push(top());
                case '1' -> popMark();
                case 'p' -> memo.put(Long.parseLong(line().strip()), top());
                case 'q' -> memo.put((long) u8(), top());
                case 'r' -> memo.put(i32() & 0xFFFFFFFFL, top());
                case 0x94 -> memo.put((long) memo.size(), top());
                case 'g' -> push(memoGet(Long.parseLong(line().strip())));
                case 'h' -> push(memoGet(u8()));
                case 'j' -> push(memoGet(i32() & 0xFFFFFFFFL));
                // Objects.
                case 'c' -> {
                    String module = line();
                    String name = line();
                    push(resolve(module, name));
                }
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new PickleException("corrupt pickle: STACK_GLOBAL needs two strings at byte " + at);
                    }
                    push(resolve(m, n));
                }
                case 'R', 0x81 -> { // REDUCE, NEWOBJ: callable(*args) / cls.__new__(cls, *args)
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, args, at));
                }
                case 0x92 -> { // NEWOBJ_EX
                    Object kwargs = pop();
                    Object args = pop();
                    Object cls = pop();
                    if (kwargs instanceof Map<?, ?> m && !m.isEmpty()) {
                        throw new PickleException("NEWOBJ_EX with keyword arguments is not supported (byte " + at + ")");
                    }
                    push(call(cls, args, at));
                }
                case 'i' -> { // INST: module and name on the line, arguments since the mark
                    String module = line();
                    String name = line();
                    List<Object> args = popMark();
                    push(call(resolve(module, name), tuple(args), at));
                }
                case 'o' -> { // OBJ: class and arguments since the mark
                    List<Object> items = popMark();
                    if (items.isEmpty()) {
                        throw new PickleException("corrupt pickle: OBJ without a class at byte " + at);
                    }
                    push(call(items.getFirst(), tuple(items.subList(1, items.size())), at));
                }
                case 'b' -> {
                    Object state = pop();
                    Object target = pop();
                    push(build(target, state, at));
                }
                case 'Q' -> push(persistent(pop(), at));
                case 'P' -> push(persistent(line(), at));
                case 0x82, 0x83, 0x84 -> throw new PickleException("pickle extension registry codes (EXT1/2/4) are "
                        + "not supported (byte " + at + ")");
                default -> throw new PickleException(String.format(
                        "corrupt pickle: unknown opcode 0x%02x at byte %d", op, at));
            }
        }
    }

    // ---------------------------------------------------------------- objects

    private Object resolve(String module, String name) {
        String qualified = pythonThreeModule(module) + "." + name;
        PythonCallable callable = globals.get(qualified);
        if (callable == null) {
            throw new PickleException("unsupported pickle global '" + qualified + "' (this reader knows "
                    + new TreeSet<>(globals.keySet()).size() + " globals: " + knownGlobalsSample() + ")");
        }
        return callable;
    }

    private String knownGlobalsSample() {
        List<String> names = new ArrayList<>(new TreeSet<>(globals.keySet()));
        return names.size() <= 6 ? String.join(", ", names) : String.join(", ", names.subList(0, 6)) + ", ...";
    }

    private static String pythonThreeModule(String module) {
        return switch (module) {
            case "__builtin__" -> "builtins";
            case "copy_reg" -> "copyreg";
            default -> module;
        };
    }

    private Object call(Object callable, Object args, int at) {
        if (!(callable instanceof PythonCallable fn)) {
            throw new PickleException("corrupt pickle: calling a " + typeName(callable) + " at byte " + at);
        }
        if (!(args instanceof List<?> list)) {
            throw new PickleException("corrupt pickle: arguments are a " + typeName(args) + " at byte " + at);
        }
        @SuppressWarnings("unchecked")
        List<Object> argList = (List<Object>) list;
        return fn.call(argList);
    }

    private Object build(Object target, Object state, int at) {
        if (target instanceof PythonCallable.Buildable b) {
            Object result = b.build(state);
            if (result != target) {
                builtObjects.put(target, result);
            }
            return result;
        }
        if (target instanceof Map<?, ?> && (state instanceof Map<?, ?> || state == null)) {
            // Instance attributes of a dict subclass, e.g. the `_metadata` module versions that
            // nn.Module.state_dict() attaches to its OrderedDict: not part of the mapping, dropped.
            return target;
        }
        throw new PickleException("cannot set the state of a " + typeName(target) + " (BUILD at byte " + at + ")");
    }

    private Object persistent(Object pid, int at) {
        if (persistentLoad == null) {
            throw new PickleException("the pickle refers to external objects (persistent id at byte " + at
                    + "), which a plain pickle does not");
        }
        return persistentLoad.apply(pid);
    }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) {
            throw new PickleException("corrupt pickle: memo key " + key + " read before written (byte " + pos + ")");
        }
        Object value = memo.get(key);
        return value != null && builtObjects.containsKey(value) ? builtObjects.get(value) : value;
    }

    private static Object newOrderedDict(List<Object> args) {
        LinkedHashMap<Object, Object> map = new LinkedHashMap<>();
        if (!args.isEmpty()) {
            for (Object pair : asList(args.getFirst())) {
                List<?> kv = asList(pair);
                map.put(kv.get(0), kv.get(1));
            }
        }
        return map;
    }

    private static byte[] encodeText(List<Object> args) {
        if (args.isEmpty() || !(args.getFirst() instanceof String text)) {
            throw new PickleException("_codecs.encode / bytearray expects text, got " + args);
        }
        String encoding = args.size() > 1 ? String.valueOf(args.get(1)) : "latin1";
        return switch (encoding.toLowerCase().replace("-", "").replace("_", "")) {
            case "latin1", "iso88591" -> text.getBytes(StandardCharsets.ISO_8859_1);
            case "utf8" -> text.getBytes(StandardCharsets.UTF_8);
            case "ascii" -> text.getBytes(StandardCharsets.US_ASCII);
            default -> throw new PickleException("unsupported text encoding '" + encoding + "' in a pickle");
        };
    }

    // ---------------------------------------------------------------- containers

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    private static Map<Object, Object> dictOf(List<Object> keyValues) {
        Map<Object, Object> map = new LinkedHashMap<>();
        putAll(map, keyValues);
        return map;
    }

    @SuppressWarnings("unchecked")
    private static void putAll(Object target, List<Object> keyValues) {
        if (!(target instanceof Map<?, ?> map) || keyValues.size() % 2 != 0) {
            throw new PickleException("corrupt pickle: SETITEM(S) on a " + typeName(target) + " with "
                    + keyValues.size() + " items");
        }
        Map<Object, Object> m = (Map<Object, Object>) map;
        for (int i = 0; i < keyValues.size(); i += 2) {
            m.put(keyValues.get(i), keyValues.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private static void appendAll(Object target, List<Object> items) {
        if (!(target instanceof List<?> list)) {
            throw new PickleException("corrupt pickle: APPEND(S) on a " + typeName(target));
        }
        for (Object item : items) {
            ((List<Object>) list).add(item);
        }
    }

    @SuppressWarnings("unchecked")
    private static void addAll(Object target, List<Object> items) {
        if (!(target instanceof Set<?> set)) {
            throw new PickleException("corrupt pickle: ADDITEMS on a " + typeName(target));
        }
        ((Set<Object>) set).addAll(items);
    }

    static List<?> asList(Object o) {
        if (o instanceof List<?> l) {
            return l;
        }
        if (o instanceof Set<?> s) {
            return new ArrayList<>(s);
        }
        throw new PickleException("expected a list or tuple in the pickle, got a " + typeName(o));
    }

    /** The Python name of what a pickle value is, for error messages. */
    static String typeName(Object o) {
        return switch (o) {
            case null -> "None";
            case Boolean b -> "bool";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case String s -> "str";
            case byte[] b -> "bytes";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Set<?> s -> "set";
            case HostTensor t -> "tensor";
            case PythonCallable c -> "class or function";
            default -> o.getClass().getSimpleName();
        };
    }

    // ---------------------------------------------------------------- the stack

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || (markCount > 0 && stack.size() == marks[markCount - 1])) {
            throw new PickleException("corrupt pickle: stack underflow at byte " + pos);
        }
        return stack.removeLast();
    }

    private Object top() {
        if (stack.isEmpty()) {
            throw new PickleException("corrupt pickle: empty stack at byte " + pos);
        }
        return stack.getLast();
    }

    private List<Object> popN(int n) {
        if (stack.size() - n < (markCount > 0 ? marks[markCount - 1] : 0)) {
            throw new PickleException("corrupt pickle: stack underflow at byte " + pos);
        }
        List<Object> view = stack.subList(stack.size() - n, stack.size());
        List<Object> items = new ArrayList<>(view);
        view.clear();
        return items;
    }

    private void mark() {
        if (markCount == marks.length) {
            marks = Arrays.copyOf(marks, markCount * 2);
        }
        marks[markCount++] = stack.size();
    }

    private List<Object> popMark() {
        if (markCount == 0) {
            throw new PickleException("corrupt pickle: no MARK before byte " + pos);
        }
        int start = marks[--markCount];
        List<Object> view = stack.subList(start, stack.size());
        List<Object> items = new ArrayList<>(view);
        view.clear();
        return items;
    }

    // ---------------------------------------------------------------- reading bytes

    private void need(int n, String what) {
        if (n < 0 || in.length - pos < n) {
            throw new PickleException("truncated pickle: " + what + " needs " + n + " bytes at byte " + pos
                    + ", " + (in.length - pos) + " left");
        }
        pos += n;
    }

    private int u8() {
        need(1, "opcode");
        return in[pos - 1] & 0xFF;
    }

    private int i32() {
        need(4, "int32");
        int p = pos - 4;
        return (in[p] & 0xFF) | (in[p + 1] & 0xFF) << 8 | (in[p + 2] & 0xFF) << 16 | (in[p + 3] & 0xFF) << 24;
    }

    private long i64() {
        need(8, "int64");
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (in[pos - 8 + i] & 0xFF);
        }
        return v;
    }

    private long bigEndianLong() {
        need(8, "float64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[pos - 8 + i] & 0xFF);
        }
        return v;
    }

    private int length(long n, String what) {
        if (n < 0 || n > in.length - pos) {
            throw new PickleException("truncated pickle: " + what + " of " + n + " bytes at byte " + pos + ", "
                    + (in.length - pos) + " left");
        }
        return (int) n;
    }

    private byte[] bytes(int n) {
        need(n, "data");
        return Arrays.copyOfRange(in, pos - n, pos);
    }

    private String utf8(int n) {
        need(n, "text");
        return new String(in, pos - n, n, StandardCharsets.UTF_8);
    }

    private String latin1(int n) {
        need(n, "text");
        return new String(in, pos - n, n, StandardCharsets.ISO_8859_1);
    }

    /** A protocol-0 argument: the bytes up to the next newline. */
    private String line() {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            pos++;
        }
        if (pos == in.length) {
            throw new PickleException("truncated pickle: unterminated text argument at byte " + start);
        }
        pos++;
        return new String(in, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
    }

    /** LONG1 / LONG4 payload: a little-endian two's complement integer. */
    private static Object littleEndianInt(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return narrow(new BigInteger(be));
    }

    private static Object narrow(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static Object parseIntLine(String s) {
        return switch (s) {
            case "00" -> Boolean.FALSE;
            case "01" -> Boolean.TRUE;
            default -> narrow(new BigInteger(s.strip()));
        };
    }

    /** Protocol 0 FLOAT: Python's repr, which spells the non-finite values inf, -inf and nan. */
    private static double parseFloatLine(String s) {
        return switch (s.strip()) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new PickleException("corrupt pickle: FLOAT argument '" + s + "'");
                }
            }
        };
    }

    private static Object parseLongLine(String s) {
        String digits = s.strip();
        if (digits.endsWith("L")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        return narrow(new BigInteger(digits));
    }

    /** Protocol 0 STRING: a quoted Python 2 str literal with backslash escapes. */
    private static String pythonStringLiteral(String s) {
        s = s.strip();
        if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1) || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            throw new PickleException("corrupt pickle: STRING argument is not quoted: " + s);
        }
        String body = s.substring(1, s.length() - 1);
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                out.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case 'x' -> {
                    out.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.append(e); // \\, \', \"
            }
        }
        return out.toString();
    }

    /** Protocol 0 UNICODE: raw-unicode-escape, i.e. latin-1 with only \\uXXXX and \\UXXXXXXXX escaped. */
    private static String rawUnicodeEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 5 < s.length() && s.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '\\' && i + 9 < s.length() && s.charAt(i + 1) == 'U') {
                out.appendCodePoint(Integer.parseInt(s.substring(i + 2, i + 10), 16));
                i += 9;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
