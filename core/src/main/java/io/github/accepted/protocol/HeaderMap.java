package io.github.accepted.protocol;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A request's headers as {@link ProtocolRequest#headers()} shows them: unmodifiable, names
 * case-insensitive, in the order of {@link String#CASE_INSENSITIVE_ORDER}, the values of names that
 * differ only in case merged in the order given. It answers as an unmodifiable {@code TreeMap}
 * with that order did, on two sorted arrays: the engine looks up a dozen names a request, and
 * comparing them case-insensitively in a tree was a tenth of a submission's time.
 */
final class HeaderMap extends AbstractMap<String, List<String>> {

    private final String[] names;
    private final List<?>[] values;

    private HeaderMap(String[] names, List<?>[] values) {
        this.names = names;
        this.values = values;
    }

    /** A copy of {@code headers}: each value list copied, names differing only in case merged. */
    static HeaderMap copyOf(Map<String, List<String>> headers) {
        int n = headers.size();
        String[] names = new String[n];
        List<?>[] values = new List<?>[n];
        int i = 0;
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            names[i] = java.util.Objects.requireNonNull(entry.getKey(), "header name");
            values[i] = List.copyOf(entry.getValue());
            i++;
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        // stable: of names equal but for case, the first given comes first, as TreeMap.merge kept it
        Arrays.sort(order, (a, b) -> String.CASE_INSENSITIVE_ORDER.compare(names[a], names[b]));
        String[] sortedNames = new String[n];
        List<?>[] sortedValues = new List<?>[n];
        int size = 0;
        for (int k = 0; k < n; k++) {
            String name = names[order[k]];
            List<?> value = values[order[k]];
            if (size > 0 && String.CASE_INSENSITIVE_ORDER.compare(sortedNames[size - 1], name) == 0) {
                List<Object> merged = new ArrayList<>(sortedValues[size - 1]);
                merged.addAll(value);
                sortedValues[size - 1] = List.copyOf(merged);
                continue;
            }
            sortedNames[size] = name;
            sortedValues[size] = value;
            size++;
        }
        return new HeaderMap(Arrays.copyOf(sortedNames, size), Arrays.copyOf(sortedValues, size));
    }

    private int indexOf(@Nullable Object key) {
        if (!(key instanceof String name)) {
            return -1;
        }
        for (int i = 0; i < names.length; i++) { // a handful of names: a scan beats a tree or a hash
            String candidate = names[i];
            if (candidate.length() == name.length() && (candidate.equals(name) || candidate.equalsIgnoreCase(name))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public @Nullable List<String> get(@Nullable Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (List<String>) values[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> getOrDefault(@Nullable Object key, List<String> defaultValue) {
        int i = indexOf(key);
        return i < 0 ? defaultValue : (List<String>) values[i];
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return names.length;
            }

            @Override
            public Iterator<Map.Entry<String, List<String>>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Map.Entry<String, List<String>> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(names[i], (List<String>) values[i]);
                    }
                };
            }
        };
    }
}
