using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Sandbox.Tools.Web;

/// <summary>
/// Addresses a WebFetch must not reach without a rule naming the host: this machine, private and shared networks,
/// cloud metadata, benchmarking, reserved, multicast and broadcast ranges — and any IPv6 address that carries one of
/// them inside it (IPv4-mapped <c>::ffff:a.b.c.d</c>, IPv4-compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4
/// <c>2002::/16</c>, Teredo <c>2001::/32</c>), since a translator or relay would deliver it to that IPv4 address.
/// </summary>
public static class InternalAddresses
{
    /// <summary>IPv4 ranges (network, prefix length) that are never the public internet.</summary>
    private static readonly (uint Network, int Prefix)[] V4 =
    [
        (0x00000000, 8),   // 0.0.0.0/8 "this network"
        (0x0A000000, 8),   // 10.0.0.0/8 private
        (0x64400000, 10),  // 100.64.0.0/10 shared address space (carrier-grade NAT)
        (0x7F000000, 8),   // 127.0.0.0/8 loopback
        (0xA9FE0000, 16),  // 169.254.0.0/16 link-local (cloud metadata)
        (0xAC100000, 12),  // 172.16.0.0/12 private
        (0xC0000000, 24),  // 192.0.0.0/24 IETF protocol assignments
        (0xC0A80000, 16),  // 192.168.0.0/16 private
        (0xC6120000, 15),  // 198.18.0.0/15 benchmarking
        (0xE0000000, 4),   // 224.0.0.0/4 multicast
        (0xF0000000, 4),   // 240.0.0.0/4 reserved, with 255.255.255.255 broadcast
    ];

    public static bool IsInternal(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => IsInternalV4(ToUInt32(address.GetAddressBytes(), 0)),
        AddressFamily.InterNetworkV6 => IsInternalV6(address.GetAddressBytes()),
        _ => true, // not an IP address we can judge: fail closed
    };

    private static bool IsInternalV4(uint address)
    {
        foreach (var (network, prefix) in V4)
            if ((address & (uint.MaxValue << (32 - prefix))) == network) return true;
        return false;
    }

    private static bool IsInternalV6(byte[] b)
    {
        // ::/96 holds the unspecified address, loopback and IPv4-compatible ::a.b.c.d; ::ffff:0:0/96 IPv4-mapped.
        if (AllZero(b, 0, 10) && ((b[10] == 0 && b[11] == 0) || (b[10] == 0xFF && b[11] == 0xFF)))
            return AllZero(b, 12, 4) || IsLoopbackV6(b) || IsInternalV4(ToUInt32(b, 12));
        // 64:ff9b::/96 NAT64 (well-known prefix): the IPv4 address is the last 32 bits.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && AllZero(b, 4, 8)) return IsInternalV4(ToUInt32(b, 12));
        // 64:ff9b:1::/48 local-use NAT64: translated into the operator's own networks.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01) return true;
        // 2002::/16 6to4: the relay's IPv4 address follows the prefix.
        if (b[0] == 0x20 && b[1] == 0x02) return IsInternalV4(ToUInt32(b, 2));
        // 2001::/32 Teredo: the server's IPv4 follows the prefix, the client's is the last 32 bits inverted.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return IsInternalV4(ToUInt32(b, 4)) || IsInternalV4(~ToUInt32(b, 12));
        return (b[0] & 0xFE) == 0xFC          // fc00::/7 unique local
            || (b[0] == 0xFE && (b[1] & 0xC0) is 0x80 or 0xC0) // fe80::/10 link-local, fec0::/10 site-local
            || b[0] == 0xFF;                   // ff00::/8 multicast
    }

    private static bool IsLoopbackV6(byte[] b) => AllZero(b, 0, 15) && b[15] == 1;

    private static bool AllZero(byte[] b, int from, int count)
    {
        for (var i = from; i < from + count; i++) if (b[i] != 0) return false;
        return true;
    }

    private static uint ToUInt32(byte[] b, int at) => (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);
}
