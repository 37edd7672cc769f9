package org.unicom4j.data.npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unicom4j.data.FileFormatException;

/**
 * The three entries of a {@code .npy} header dict, parsed from the Python literal numpy writes, e.g.
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}. Accepts either quote style, any key order,
 * optional trailing commas and Python 2 long suffixes ({@code 3L}); rejects anything else with the file named.
 */
record HeaderDict(String descr, boolean fortranOrder, long[] shape) {

    static HeaderDict parse(String text, Path file) {
        return new Parser(text, file).dict();
    }

    private static final class Parser {
        private final String s;
        private final Path file;
        private int i;

        Parser(String s, Path file) {
            this.s = s;
            this.file = file;
        }

        HeaderDict dict() {
            expect('{');
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    i++;
                    break;
                }
                String key = quoted();
                skipSpace();
                expect(':');
                skipSpace();
                switch (key) {
                    case "descr" -> descr = quoted();
                    case "fortran_order" -> fortran = bool();
                    case "shape" -> shape = tuple();
                    default -> throw error("unexpected key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            if (descr == null || fortran == null || shape == null) {
                throw error("missing one of 'descr', 'fortran_order', 'shape'");
            }
            return new HeaderDict(descr, fortran, shape);
        }

        private String quoted() {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw error("expected a quoted string");
            }
            int end = s.indexOf(q, i + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String v = s.substring(i + 1, end);
            i = end + 1;
            return v;
        }

        private boolean bool() {
            if (s.startsWith("True", i)) {
                i += 4;
                return true;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return false;
            }
            throw error("expected True or False");
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    i++;
                    break;
                }
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    throw error("expected a non-negative integer dimension");
                }
                dims.add(Long.parseLong(s.substring(start, i)));
                if (peek() == 'L') {
                    i++;
                }
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in shape");
                }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            skipSpace();
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private FileFormatException error(String what) {
            String shown = s.strip();
            if (shown.length() > 120) {
                shown = shown.substring(0, 120) + "...";
            }
            return new FileFormatException(file + ": malformed .npy header at character " + i + ": " + what
                    + " in " + shown);
        }
    }
}
