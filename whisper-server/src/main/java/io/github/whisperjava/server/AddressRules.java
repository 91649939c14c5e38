package io.github.whisperjava.server;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which addresses a client-chosen URL may reach: public unicast only. Works on the address bytes, so
 * every spelling of one address (IPv4-mapped or -compatible IPv6, NAT64, 6to4, decimal, octal or hex
 * IPv4) is judged as the address it is.
 */
final class AddressRules {
    private AddressRules() {}

    // what inet_aton (and so curl, and many resolvers) read as an IPv4 address: 1 to 4 parts, each
    // decimal, octal (leading 0) or hex (0x); Java's own parser reads some of these differently
    private static final Pattern NUMERIC_PART = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");

    /**
     * The address a host written as an IP literal names, in any spelling; null for a host name.
     *
     * @throws UnknownHostException for a host that looks numeric but is no valid address (such as 0x1.08)
     */
    static InetAddress literal(String host) throws UnknownHostException {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            return InetAddress.getByName(h.substring(1, h.length() - 1)); // IPv6 literal: never a DNS lookup
        }
        if (h.indexOf(':') >= 0) {
            return InetAddress.getByName(h);
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        for (String p : parts) {
            if (!NUMERIC_PART.matcher(p).matches()) {
                return null;
            }
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = number(parts[i], host);
        }
        long value = 0;
        for (int i = 0; i < v.length - 1; i++) {
            if (v[i] > 255) {
                throw new UnknownHostException(host + " is not a valid IPv4 address");
            }
            value = value << 8 | v[i];
        }
        int lastBits = 8 * (5 - v.length);
        if (v[v.length - 1] >= 1L << lastBits) {
            throw new UnknownHostException(host + " is not a valid IPv4 address");
        }
        value = value << lastBits | v[v.length - 1];
        return InetAddress.getByAddress(host, new byte[] {
            (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static long number(String part, String host) throws UnknownHostException {
        try {
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            throw new UnknownHostException(host + " is not a valid IPv4 address");
        }
    }

    /**
     * Why this address may not be fetched from ("loopback", ...), or null when it is public: by its
     * range, and also when it is one of this machine's own addresses (a public IP the service itself is
     * bound to reaches its own ports).
     */
    static String refusal(InetAddress address) {
        byte[] a = address.getAddress();
        String byRange = a.length == 4 ? refusal4(a, 0) : refusal6(a);
        if (byRange != null) {
            return byRange;
        }
        return ownAddress(address) ? "this machine's own address" : null;
    }

    /** Whether an interface of this machine has the address (true when that cannot be told: refuse). */
    static boolean ownAddress(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true;
        }
    }

    private static String refusal4(byte[] b, int o) {
        int a0 = b[o] & 0xff;
        int a1 = b[o + 1] & 0xff;
        int a2 = b[o + 2] & 0xff;
        if (a0 == 0) {
            return "unspecified";
        }
        if (a0 == 127) {
            return "loopback";
        }
        if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
            return "private";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "private (shared address space)";
        }
        if (a0 == 169 && a1 == 254) {
            return "link-local";
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2) || a0 == 198 && (a1 & 0xfe) == 18
                || a0 == 198 && a1 == 51 && a2 == 100 || a0 == 203 && a1 == 0 && a2 == 113) {
            return "reserved";
        }
        if (a0 == 168 && a1 == 63 && a2 == 129 && (b[o + 3] & 0xff) == 16) {
            return "a cloud platform's internal service (Azure's 168.63.129.16)";
        }
        if (a0 >= 224 && a0 < 240) {
            return "multicast";
        }
        if (a0 >= 240) {
            return "reserved";
        }
        return null;
    }

    private static String refusal6(byte[] b) {
        boolean first10Zero = true;
        for (int i = 0; i < 10; i++) {
            first10Zero &= b[i] == 0;
        }
        int w5 = (b[10] & 0xff) << 8 | (b[11] & 0xff);
        if (first10Zero && (w5 == 0xffff || w5 == 0)) {
            // IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible (::a.b.c.d); :: and ::1 included
            boolean last4Zero = b[12] == 0 && b[13] == 0 && b[14] == 0;
            if (w5 == 0 && last4Zero && (b[15] == 0 || b[15] == 1)) {
                return b[15] == 0 ? "unspecified" : "loopback";
            }
            return refusal4(b, 12);
        }
        boolean first8Zero = true;
        for (int i = 0; i < 8; i++) {
            first8Zero &= b[i] == 0;
        }
        int w4 = (b[8] & 0xff) << 8 | (b[9] & 0xff);
        if (first8Zero && w4 == 0xffff && w5 == 0) {
            return refusal4(b, 12); // IPv4-translated (::ffff:0:a.b.c.d, RFC 2765)
        }
        int w0 = (b[0] & 0xff) << 8 | (b[1] & 0xff);
        int w1 = (b[2] & 0xff) << 8 | (b[3] & 0xff);
        int w2 = (b[4] & 0xff) << 8 | (b[5] & 0xff);
        if (w0 == 0x64 && w1 == 0xff9b && w2 == 1) {
            return "reserved (local-use NAT64, 64:ff9b:1::/48)"; // where its IPv4 address sits is the network's choice
        }
        if (w0 == 0x64 && w1 == 0xff9b) {
            return refusal4(b, 12); // NAT64 reaches the IPv4 address in its last 32 bits
        }
        if (w0 == 0x2002) {
            return refusal4(b, 2); // 6to4 carries an IPv4 address in bits 16..47
        }
        if (w0 == 0x2001 && w1 == 0) {
            return "reserved (Teredo)";
        }
        if (w0 == 0x2001 && w1 == 0x0db8) {
            return "reserved (documentation)";
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return "link-local";
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return "private (site-local)";
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return "unique-local";
        }
        if ((w0 & 0xff00) == 0xff00) {
            return "multicast";
        }
        return null;
    }

    /** The host as a URL names it, in the one form the checks and the connection use: no trailing dot, lower case. */
    static String normalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
