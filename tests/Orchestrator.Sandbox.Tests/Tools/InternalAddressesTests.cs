using System.Net;
using CsCheck;
using Orchestrator.Sandbox.Tools.Web;

namespace Orchestrator.Sandbox.Tests.Tools;

public sealed class InternalAddressesTests
{
    /// <summary>The internal IPv4 ranges, each written out independently of the implementation's table.</summary>
    private static readonly string[] InternalRanges =
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    ];

    private static bool InAnyRange(IPAddress v4) => InternalRanges.Any(r => IPNetwork.Parse(r).Contains(v4));

    private static IPAddress V4(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    /// <summary>An IPv6 address of <paramref name="prefix"/> bytes, <paramref name="v4"/> at byte <paramref name="at"/>.</summary>
    private static IPAddress Embedded(byte[] prefix, IPAddress v4, int at, bool inverted = false)
    {
        var bytes = new byte[16];
        prefix.CopyTo(bytes, 0);
        var v4Bytes = v4.GetAddressBytes();
        for (var i = 0; i < 4; i++) bytes[at + i] = inverted ? (byte)~v4Bytes[i] : v4Bytes[i];
        return new IPAddress(bytes);
    }

    private static readonly byte[] Nat64 = [0x00, 0x64, 0xFF, 0x9B], SixToFour = [0x20, 0x02], Mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF];

    [Fact]
    public void Every_ipv4_address_is_internal_exactly_when_a_listed_range_holds_it_and_so_is_every_ipv6_form_carrying_it() =>
        Gen.UInt.Select(V4).Sample(v4 =>
        {
            var expected = InAnyRange(v4);
            Assert.Equal(expected, InternalAddresses.IsInternal(v4));
            Assert.Equal(expected, InternalAddresses.IsInternal(Embedded(Mapped, v4, 12)));
            Assert.Equal(expected, InternalAddresses.IsInternal(Embedded([], v4, 12)));       // IPv4-compatible ::a.b.c.d
            Assert.Equal(expected, InternalAddresses.IsInternal(Embedded(Nat64, v4, 12)));
            Assert.Equal(expected, InternalAddresses.IsInternal(Embedded(SixToFour, v4, 2)));
            // Teredo: a public server, the client's address inverted in the last 32 bits.
            Assert.Equal(expected, InternalAddresses.IsInternal(Embedded(Embedded([0x20, 0x01, 0, 0], IPAddress.Parse("8.8.8.8"), 4).GetAddressBytes(), v4, 12, inverted: true)));
        }, iter: 200_000);

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("0.255.255.255", true)]
    [InlineData("1.0.0.0", false)]
    [InlineData("100.63.255.255", false)]
    [InlineData("100.64.0.0", true)]
    [InlineData("100.127.255.255", true)]
    [InlineData("100.128.0.0", false)]
    [InlineData("198.17.255.255", false)]
    [InlineData("198.18.0.0", true)]
    [InlineData("198.19.255.255", true)]
    [InlineData("198.20.0.0", false)]
    [InlineData("223.255.255.255", false)]
    [InlineData("224.0.0.1", true)]
    [InlineData("239.255.255.250", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("::", true)]
    [InlineData("::1", true)]
    [InlineData("::127.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("64:ff9b::7f00:1", true)]
    [InlineData("64:ff9b::a9fe:a9fe", true)]
    [InlineData("64:ff9b::808:808", false)]
    [InlineData("64:ff9b:1::8.8.8.8", true)]
    [InlineData("2002:7f00:1::", true)]
    [InlineData("2002:c0a8:101::1", true)]
    [InlineData("2002:808:808::1", false)]
    [InlineData("fe80::1", true)]
    [InlineData("fec0::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fc00::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("2606:4700::1111", false)]
    public void The_boundaries_of_each_range_and_each_ipv6_embedding_are_judged_as_listed(string address, bool expected) =>
        Assert.Equal(expected, InternalAddresses.IsInternal(IPAddress.Parse(address)));
}
