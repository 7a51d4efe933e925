using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Hosting;

/// <summary>
/// <c>Latchkey:ForwardedHeaders</c>: the reverse proxies (TLS terminators, load balancers) whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. Without any, the headers are ignored. With them,
/// the login throttle sees the client's address, cookies get <c>Secure</c> and redirects use <c>https</c> when the
/// proxy received https. The issuer never comes from a request (it is configured or derived from <c>urls</c>), so
/// <c>X-Forwarded-Host</c> is not used. "Trust everyone" (<c>0.0.0.0/0</c>, <c>::/0</c>) is refused: anyone could then
/// pick the address the throttle counts.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>, <c>::1</c>. Commas separate several in one value.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c>. Commas separate several in one value.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>The middleware options, or null when no proxy is configured; throws with every problem at once.</summary>
    internal ForwardedHeadersOptions? ToOptions()
    {
        var proxies = Split(KnownProxies);
        var networks = Split(KnownNetworks);
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Every hop that is a known proxy is unwrapped, so a chain (load balancer → TLS terminator) yields the client.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();

        var problems = new List<string>();
        foreach (var proxy in proxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                problems.Add($"Latchkey:ForwardedHeaders:KnownProxies: \"{proxy}\" is not an IP address.");
            }
        }

        foreach (var network in networks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out var parsed))
            {
                problems.Add($"Latchkey:ForwardedHeaders:KnownNetworks: \"{network}\" is not a network in CIDR notation (10.0.0.0/24).");
            }
            else if (parsed.PrefixLength == 0)
            {
                problems.Add($"Latchkey:ForwardedHeaders:KnownNetworks: \"{network}\" trusts every address; list the proxies' own addresses or networks.");
            }
            else
            {
                options.KnownIPNetworks.Add(parsed);
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(LatchkeyOptions.Section, typeof(ForwardedHeadersSettings), problems);
        }

        return options;
    }

    private static List<string> Split(List<string> values) =>
        values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
