package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF rules of callbacks (issue 16, item 3): what is refused, what an allow-list lets through. */
class AddressGuardTest {

    /** Names resolved without DNS (closed here): each maps to the addresses given. */
    private static HostResolver names(Map<String, List<String>> table) {
        return host -> {
            List<String> literals = table.get(host);
            if (literals == null) {
                return HostResolver.system().resolve(host); // IP literals only: no DNS lookup
            }
            List<InetAddress> addresses = new java.util.ArrayList<>();
            for (String literal : literals) {
                addresses.add(InetAddress.getByName(literal));
            }
            return addresses;
        };
    }

    private final AddressGuard guard = new AddressGuard(
            List.of(),
            names(Map.of(
                    "public.test", List.of("93.184.216.34"),
                    "internal.test", List.of("10.1.2.3"),
                    "mixed.test", List.of("93.184.216.34", "192.168.1.1"),
                    "metadata.test", List.of("169.254.169.254"))),
            200);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.255.0.9",
                "0.0.0.0",
                "10.0.0.1",
                "172.16.5.4",
                "172.31.255.255",
                "192.168.0.1",
                "169.254.169.254",
                "169.254.1.1",
                "100.64.0.1",
                "100.100.100.200",
                "224.0.0.1",
                "255.255.255.255",
                "[::1]",
                "[::]",
                "[fe80::1]",
                "[fd00::1]",
                "[fd00:ec2::254]",
                "[fc00::7]",
                "[ff02::1]",
                "[::ffff:127.0.0.1]",
                "[::ffff:169.254.169.254]",
                "[64:ff9b::a00:1]",
                "[2002:c0a8:101::1]"
            })
    void nonPublicAddresses_areRefused(String host) {
        URI url = guard.parse("http://" + host + "/hook");
        assertThatThrownBy(() -> guard.check(url))
                .isInstanceOf(InvalidCallbackException.class)
                .hasMessageContaining("may not reach");
    }

    @Test
    void ipv4MappedIpv6_isJudgedByItsIpv4Address() throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        // built as a 16-byte IPv6 address on purpose (InetAddress.getByName would unwrap it)
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(guard.refusal(address)).isPresent();
    }

    @Test
    void aHostResolvingToAPrivateAddress_isRefused() {
        assertThatThrownBy(() -> guard.check(guard.parse("https://internal.test/hook")))
                .isInstanceOf(InvalidCallbackException.class);
        assertThatThrownBy(() -> guard.check(guard.parse("https://metadata.test/latest/meta-data")))
                .isInstanceOf(InvalidCallbackException.class);
    }

    @Test
    void aHostWithOnePrivateAddressAmongPublicOnes_isRefused() {
        assertThatThrownBy(() -> guard.check(guard.parse("https://mixed.test/hook")))
                .isInstanceOf(InvalidCallbackException.class);
    }

    @Test
    void aPublicHost_isTaken_andTheCheckedAddressIsTheOneToConnectTo() throws UnknownHostException {
        assertThat(guard.check(guard.parse("https://public.test/hook?a=1")))
                .isEqualTo(InetAddress.getByName("93.184.216.34"));
    }

    @Test
    void anUnresolvableHost_isRefused() {
        AddressGuard nothing = new AddressGuard(
                List.of(),
                host -> {
                    throw new UnknownHostException(host);
                },
                200);
        assertThatThrownBy(() -> nothing.check(nothing.parse("https://nowhere.test/")))
                .isInstanceOf(InvalidCallbackException.class)
                .hasMessageContaining("could not be resolved");
    }

    @Test
    void anAllowListEntry_letsItsRangeThrough_andNothingElse() throws UnknownHostException {
        AddressGuard allowing = new AddressGuard(
                List.of(AddressRange.parse("127.0.0.1/32"), AddressRange.parse("10.1.0.0/16")),
                HostResolver.system(),
                200);
        assertThat(allowing.check(allowing.parse("http://127.0.0.1:8080/hook")))
                .isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(allowing.refusal(InetAddress.getByName("10.1.200.3"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("127.0.0.2"))).isPresent();
        assertThat(allowing.refusal(InetAddress.getByName("10.2.0.1"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://public.test/x",
                "file:///etc/passwd",
                "gopher://public.test/",
                "/relative",
                "http://user:pass@public.test/",
                "https://public.test/#frag",
                "http://exa mple.test/",
                "https:///path",
                "javascript:alert(1)"
            })
    void urlsOtherThanPlainHttpAndHttps_areRefused(String url) {
        assertThatThrownBy(() -> guard.parse(url)).isInstanceOf(InvalidCallbackException.class);
    }

    @Test
    void anOverLongUrl_isRefused() {
        String url = "https://public.test/" + "a".repeat(200);
        assertThatThrownBy(() -> guard.parse(url))
                .isInstanceOf(InvalidCallbackException.class)
                .hasMessageContaining("longer than 200");
    }

    @Test
    void allowListEntries_mustBeIpLiterals() {
        assertThatThrownBy(() -> AddressRange.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
