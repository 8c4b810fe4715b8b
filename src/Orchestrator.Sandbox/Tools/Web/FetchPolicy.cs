using System.Net;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Sandbox.Tools.Web;

/// <summary>
/// Whether a WebFetch may request a URL — the first one and every redirect target — under the policy that judged
/// the call and the network access it left: http(s) only; a <c>WebFetch(domain:…)</c> deny or ask rule refuses (an ask
/// needs its own approval); an allow rule admits; otherwise network <c>on</c> admits, <c>ask</c> admits only the host the
/// operator approved (the call's own host), and <c>off</c> admits nothing. A host that resolves to a loopback, private
/// link-local or otherwise internal address (<see cref="InternalAddresses"/>: this machine, its LAN, cloud metadata, or an
/// IPv6 address carrying one of them) is admitted only by an allow rule naming it, checked on
/// the address actually connected to, so DNS cannot swap it in later.
/// </summary>
public sealed class FetchPolicy(PolicySnapshot policy, NetworkAccess network, string approvedHost)
{
    /// <summary>Null when <paramref name="uri"/> may be requested; else why not.</summary>
    public string? Refusal(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return $"{uri} is not an http(s) URL";
        var host = uri.IdnHost;
        if (Rule(policy.DenyRules, host) is { } deny) return $"fetching from {host} is denied by {deny.Text}";
        if (Rule(policy.AskRules, host) is { } ask && !IsApproved(host)) return $"fetching from {host} needs an approval ({ask.Text}); submit that URL as its own WebFetch";
        if (Rule(policy.AllowRules, host) is not null) return null;
        return network switch
        {
            NetworkAccess.On => null,
            NetworkAccess.Ask when IsApproved(host) => null,
            NetworkAccess.Ask => $"{host} is not the approved host {approvedHost} and no WebFetch(domain:{host}) rule allows it; submit that URL as its own WebFetch",
            _ => $"the network is off: fetching from {host} needs a WebFetch(domain:{host}) allow rule, or network on or ask",
        };
    }

    /// <summary>Null when the connection may go to <paramref name="address"/> for <paramref name="host"/>; else why not.</summary>
    public string? AddressRefusal(string host, IPAddress address) =>
        IsInternal(address) && Rule(policy.AllowRules, host) is not { Specifier: DomainSubject }
            ? $"{host} resolves to {address}, an address on this machine or its private network; only a WebFetch(domain:{host}) allow rule admits it"
            : null;

    private bool IsApproved(string host) => string.Equals(host.TrimEnd('.'), approvedHost.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static PermissionRule? Rule(IEnumerable<PermissionRule> rules, string host) =>
        rules.FirstOrDefault(r => r.AppliesToTool(ToolNames.WebFetch) && (r.Specifier is AnySubject || (r.Specifier is DomainSubject d && d.Matches(host))));

    /// <summary>See <see cref="InternalAddresses"/>.</summary>
    public static bool IsInternal(IPAddress address) => InternalAddresses.IsInternal(address);
}
