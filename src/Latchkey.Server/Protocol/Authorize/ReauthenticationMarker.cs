using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace Latchkey.Server.Protocol.Authorize;

/// <summary>
/// Makes <c>prompt=login</c> and <c>max_age</c> force exactly one fresh login without looping. When /authorize sends
/// the browser to the login page for a re-authentication, the return URL carries the original request unchanged plus
/// <see cref="Parameter"/>: a Data Protection–sealed note of when the re-authentication was demanded and which
/// session was then current. Back at /authorize, the demand counts as met only by a session that was issued at or
/// after that moment and is not the stale one — so a forged, expired or copied marker just asks for a login again,
/// and removing the marker brings back the original <c>prompt=login</c>/<c>max_age</c> demand.
/// </summary>
internal sealed class ReauthenticationMarker(IDataProtectionProvider dataProtection, TimeProvider time)
{
    /// <summary>Unknown parameters are ignored by OpenIddict (and by OIDC, §3.1.2.1), so the marker rides along.</summary>
    public const string Parameter = "lk_reauth";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("Latchkey.Protocol.Browser.Reauthentication").ToTimeLimitedDataProtector();

    /// <summary>Seals a demand made now, while <paramref name="staleSessionId"/> (issued at <paramref name="staleIssuedUtc"/>) was current.</summary>
    public string Create(string? staleSessionId, DateTimeOffset? staleIssuedUtc)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var payload = string.Join('\n',
            now.ToString(CultureInfo.InvariantCulture),
            (staleIssuedUtc?.ToUnixTimeSeconds() ?? 0).ToString(CultureInfo.InvariantCulture),
            staleSessionId ?? string.Empty);
        return _protector.Protect(payload, time.GetUtcNow().Add(Lifetime));
    }

    /// <summary>True when <paramref name="marker"/> is genuine and the given session is a login made after it.</summary>
    public bool IsSatisfiedBy(string? marker, string? sessionId, DateTimeOffset? issuedUtc)
    {
        if (string.IsNullOrEmpty(marker) || issuedUtc is null)
        {
            return false;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(marker);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }

        var parts = payload.Split('\n');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var demandedAt)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var staleIssued))
        {
            return false;
        }

        // Cookie tickets keep IssuedUtc to the second, hence >= on the demand time and the session-id check.
        var issued = issuedUtc.Value.ToUnixTimeSeconds();
        var isNewSession = !string.Equals(parts[2], sessionId ?? string.Empty, StringComparison.Ordinal) || issued > staleIssued;
        return issued >= demandedAt && isNewSession;
    }
}
