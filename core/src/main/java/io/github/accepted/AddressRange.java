package io.github.accepted;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR block such as {@code 10.0.0.0/8} or {@code fd00::/8}: an allow-list entry or a refused class. */
@SuppressWarnings("ArrayRecordComponent") // made once from configuration and only matched against, never compared
record AddressRange(byte[] prefix, int bits) {

    /**
     * Parses {@code address/bits} (or a bare address: one host).
     *
     * @throws IllegalArgumentException if it is not an IP literal with a fitting prefix length
     */
    static AddressRange parse(String cidr) {
        String[] parts = cidr.trim().split("/", 2);
        String literal = parts[0];
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + cidr); // never a DNS lookup
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + cidr);
        }
        int bits = bytes.length * 8;
        if (parts.length == 2) {
            try {
                bits = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: " + cidr);
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + cidr);
            }
        }
        return new AddressRange(bytes, bits);
    }

    boolean contains(byte[] address) {
        if (address.length != prefix.length) {
            return false;
        }
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != prefix[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[whole] & mask) == (prefix[whole] & mask);
    }
}
