package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Every spelling of a refused address is refused; public addresses pass. */
class ServiceAddressRulesTest {
    static String refusal(String host) throws Exception {
        InetAddress a = AddressRules.literal(AddressRules.normalHost(host));
        assertNotNull(a, host + " was not read as an address");
        return AddressRules.refusal(a);
    }

    @Test
    void loopbackInEverySpelling() throws Exception {
        for (String h : new String[] {"127.0.0.1", "127.1", "2130706433", "0x7f000001", "0x7f.0.0.1", "0177.0.0.1",
            "0177.0.0.01", "127.0.0.1.", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]",
            "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]"}) {
            assertEquals("loopback", refusal(h), h);
        }
    }

    @Test
    void privateLinkLocalUniqueLocalMulticastUnspecified() throws Exception {
        assertEquals("link-local", refusal("169.254.169.254"));
        assertEquals("link-local", refusal("[::ffff:169.254.169.254]"));
        assertEquals("link-local", refusal("0xa9fea9fe"));
        assertEquals("link-local", refusal("[fe80::1]"));
        assertEquals("private", refusal("10.0.0.1"));
        assertEquals("private", refusal("012.0.0.1"));
        assertEquals("private", refusal("172.16.5.4"));
        assertEquals("private", refusal("192.168.1.1"));
        assertEquals("unique-local", refusal("[fc00::1]"));
        assertEquals("unique-local", refusal("[fd12:3456::1]"));
        assertEquals("multicast", refusal("224.0.0.1"));
        assertEquals("multicast", refusal("[ff02::1]"));
        assertEquals("unspecified", refusal("0.0.0.0"));
        assertEquals("unspecified", refusal("0"));
        assertEquals("unspecified", refusal("[::]"));
    }

    /** Found in review: each of these passed as public before. */
    @Test
    void translatedAndLocalNat64AddressesPlatformServicesAndOwnAddressesAreRefused() throws Exception {
        assertEquals("loopback", refusal("[::ffff:0:127.0.0.1]"));
        assertEquals("private", refusal("[::ffff:0:a00:1]"));
        assertNull(refusal("[::ffff:0:8.8.8.8]"));
        assertTrue(refusal("[64:ff9b:1::a00:1]").contains("local-use NAT64"));
        assertTrue(refusal("168.63.129.16").contains("cloud platform"));
        assertTrue(AddressRules.ownAddress(InetAddress.getByName("127.0.0.1")));
        assertFalse(AddressRules.ownAddress(InetAddress.getByName("8.8.8.8")));
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                assertTrue(AddressRules.ownAddress(a), a + " is on " + n.getName());
                assertNotNull(AddressRules.refusal(a), a + " is this machine's, public or not");
            }
        }
    }

    @Test
    void publicAddressesPass() throws Exception {
        assertNull(refusal("8.8.8.8"));
        assertNull(refusal("134744072")); // 8.8.8.8 in decimal
        assertNull(refusal("[2606:4700:4700::1111]"));
        assertNull(refusal("172.32.0.1"));
    }

    @Test
    void namesAreNotLiteralsAndMalformedNumbersAreRefused() {
        assertThrows(UnknownHostException.class, () -> AddressRules.literal("08.0.0.1"));
        assertThrows(UnknownHostException.class, () -> AddressRules.literal("256.0.0.1"));
        assertDoesNotParse("a.b.c.d.e");
        assertDoesNotParse("example.com");
        assertDoesNotParse("1e100.net");
    }

    private static void assertDoesNotParse(String host) {
        try {
            assertNull(AddressRules.literal(host), host);
        } catch (UnknownHostException e) {
            throw new AssertionError(host + ": " + e);
        }
    }
}
