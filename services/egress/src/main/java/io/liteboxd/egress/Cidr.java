package io.liteboxd.egress;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address range ({@code 10.0.0.0/8}, {@code fd00::/8}) the proxy must never connect to,
 * whatever name led there: the cluster's pod and service ranges, the node network.
 *
 * @param network the first address of the range (host bits cleared)
 * @param prefix  how many leading bits an address must share with {@code network}
 */
public record Cidr(InetAddress network, int prefix) {

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix " + prefix + " out of 0.." + bits);
        }
    }

    /**
     * Parses {@code address/prefix}; a bare address is a range of one. Host bits set in the
     * address are cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). Only literals are
     * accepted: this never asks DNS.
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP range: " + text);
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String digits = trimmed.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IP range: " + text);
            }
            prefix = Integer.parseInt(digits);
        }
        if (prefix > bytes.length * 8) {
            throw new IllegalArgumentException("prefix " + prefix + " too long in " + text);
        }
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            InetAddress network = InetAddress.getByAddress(bytes);
            if (network.getAddress().length != bytes.length) {
                // The JDK turns ::ffff:a.b.c.d into an IPv4 address; the prefix would no longer fit.
                throw new IllegalArgumentException("write IPv4-mapped ranges as IPv4: " + text);
            }
            return new Cidr(network, prefix);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP range: " + text, e);
        }
    }

    /** Whether {@code address} is in this range; an address of the other family never is. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] base = network.getAddress();
        if (candidate.length != base.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != base[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[whole] & mask) == (base[whole] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
