package io.github.accepted.client;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of the client, written down: every public or protected type and member of
 * {@code io.github.accepted.client}, compared with
 * {@code src/test/resources/api/client-api.txt}. A change of
 * API shows as a change of that file in review.
 *
 * <p>After an intended change, regenerate the file with
 * {@code mvn -B -o -pl client -am test -Dtest=ApiSurfaceTest -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true}
 * and commit it.
 */
class ApiSurfaceTest {

    private static final List<String> EXPORTED = List.of("io.github.accepted.client");
    private static final String FILE = "api/client-api.txt";

    @Test
    void publicApi_isWhatClientApiTxtSays() throws Exception {
        Path classes = Path.of(AcceptedClient.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<String> actual = surface(classes, EXPORTED, AcceptedClient.class.getClassLoader());
        compare(actual, FILE);
    }

    /** The lines describing the public surface of {@code packages} under {@code classes}, sorted. */
    static List<String> surface(Path classes, List<String> packages, ClassLoader loader) throws IOException {
        Set<String> lines = new TreeSet<>();
        for (String pkg : packages) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> p.toString().endsWith(".class")).toList();
            }
            for (Path file : files) {
                String simple = file.getFileName().toString().replace(".class", "");
                if (simple.equals("package-info")) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(pkg + "." + simple, false, loader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                if (visible(type)) {
                    describe(type, lines);
                }
            }
        }
        return new ArrayList<>(lines);
    }

    /** Public or protected, and so is every type it is nested in. */
    private static boolean visible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
                return false;
            }
            if (!Modifier.isPublic(t.getModifiers()) && !Modifier.isProtected(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static void describe(Class<?> type, Set<String> lines) {
        String name = type.getTypeName();
        int modifiers = type.getModifiers() & ~Modifier.INTERFACE;
        if (type.isInterface()) {
            modifiers &= ~Modifier.ABSTRACT;
        }
        StringBuilder head = new StringBuilder(name)
                .append(" : ")
                .append(Modifier.toString(modifiers))
                .append(' ')
                .append(kind(type))
                .append(' ')
                .append(name);
        if (type.getTypeParameters().length > 0) {
            head.append(Arrays.stream(type.getTypeParameters())
                    .map(Type::getTypeName)
                    .collect(Collectors.joining(",", "<", ">")));
        }
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            head.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            head.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        lines.add(head.toString().trim());
        for (Field field : type.getDeclaredFields()) {
            if (member(field.getModifiers(), field.isSynthetic())) {
                lines.add(name + " | field " + field.toGenericString().replace(name + ".", ""));
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (member(constructor.getModifiers(), constructor.isSynthetic())) {
                lines.add(name + " | " + executable(constructor, name));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (member(method.getModifiers(), method.isSynthetic() || method.isBridge())) {
                lines.add(name + " | " + executable(method, name));
            }
        }
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "@interface";
        }
        if (type.isInterface()) {
            return "interface";
        }
        if (type.isEnum()) {
            return "enum";
        }
        if (type.isRecord()) {
            return "record";
        }
        return "class";
    }

    private static String executable(Executable executable, String owner) {
        return executable.toGenericString().replace(owner + ".", "").replace(" " + owner + "(", " <init>(");
    }

    private static boolean member(int modifiers, boolean synthetic) {
        return !synthetic && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
    }

    /** Fails with the difference unless {@code actual} is the file's content; rewrites it when asked. */
    static void compare(List<String> actual, String resource) throws IOException, URISyntaxException {
        Path source = Path.of("src/test/resources").resolve(resource);
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(source.getParent());
            Files.write(source, actual, StandardCharsets.UTF_8);
            return;
        }
        var url = ApiSurfaceTest.class.getClassLoader().getResource(resource);
        List<String> expected = url == null ? List.of() : Files.readAllLines(Path.of(url.toURI()));
        if (expected.equals(actual)) {
            return;
        }
        Set<String> removed = new LinkedHashSet<>(expected);
        actual.forEach(removed::remove);
        Set<String> added = new LinkedHashSet<>(actual);
        expected.forEach(added::remove);
        StringBuilder message = new StringBuilder("The public API differs from ")
                .append(source)
                .append(".\nIf the change is intended, regenerate the file with -Dapi.update=true")
                .append(" (mvn -B -o -pl <module> -am test -Dtest=ApiSurfaceTest")
                .append(" -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true),")
                .append(" say so in CHANGELOG.md, and commit both.\n");
        removed.forEach(line -> message.append("- ").append(line).append('\n'));
        added.forEach(line -> message.append("+ ").append(line).append('\n'));
        fail(message.toString());
    }
}
