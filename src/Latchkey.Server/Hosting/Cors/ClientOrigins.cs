using System.Collections.Frozen;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Hosting.Cors;

/// <summary>
/// Browser origins derived from the Applications in a <see cref="TenantSnapshot"/>, computed once per snapshot
/// version (never a database read per request).
/// <list type="bullet">
/// <item>CORS origins: every Application's <c>allowed_origins</c> and <c>web_origins</c>, plus the origins of its
/// callback URLs — Auth0's dashboard: "Allowed Origins (CORS) … By default, all your callback URLs will be allowed."</item>
/// <item>Frame ancestors of the <c>web_message</c> page: one Application's <c>web_origins</c> only.</item>
/// </list>
/// Entries that are not absolute http(s) URLs (or that carry wildcards, which Latchkey does not support) are skipped,
/// so nothing an admin typed can inject into a CSP or CORS header.
/// </summary>
internal sealed class ClientOrigins(TenantCache tenants)
{
    private volatile Computed? _computed;

    public async ValueTask<bool> IsCorsOriginAllowedAsync(string origin, CancellationToken cancellationToken)
    {
        var computed = await GetAsync(cancellationToken);
        return computed.CorsOrigins.Contains(origin);
    }

    /// <summary>The normalized web origins of one Application (empty if unknown).</summary>
    public async ValueTask<IReadOnlyList<string>> GetWebOriginsAsync(string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return [];
        }

        var computed = await GetAsync(cancellationToken);
        return computed.WebOrigins.TryGetValue(clientId, out var origins) ? origins : [];
    }

    /// <summary>
    /// <c>scheme://host[:port]</c> of an absolute http(s) URL, lower-cased, default port omitted; null otherwise.
    /// This is the serialization browsers use in the <c>Origin</c> header and in <c>MessageEvent.origin</c>.
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains('*', StringComparison.Ordinal)
            || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.UserInfo) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }

    private async ValueTask<Computed> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = await tenants.GetAsync(cancellationToken);
        var computed = _computed;
        if (computed is not null && computed.Version == snapshot.Version)
        {
            return computed;
        }

        computed = Compute(snapshot);
        _computed = computed;
        return computed;
    }

    private static Computed Compute(TenantSnapshot snapshot)
    {
        var cors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var web = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var application in snapshot.Applications.Values)
        {
            var webOrigins = application.WebOrigins.Select(Normalize).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            web[application.ClientId] = webOrigins;
            cors.UnionWith(webOrigins);
            cors.UnionWith(application.AllowedOrigins.Select(Normalize).OfType<string>());
            cors.UnionWith(application.Callbacks.Select(Normalize).OfType<string>());
        }

        return new Computed(snapshot.Version, cors.ToFrozenSet(StringComparer.OrdinalIgnoreCase), web.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private sealed record Computed(long Version, FrozenSet<string> CorsOrigins, FrozenDictionary<string, IReadOnlyList<string>> WebOrigins);
}
