using System.Security.Claims;

namespace Latchkey.AspNetCore.Caching;

/// <summary>
/// A per-request identity over a cached token's claims: the validated claims are shared read-only (not copied), claims
/// the app adds during the request go into this instance only, so nothing leaks into the cache or into another request.
/// Shared claims cannot be removed (RemoveClaim throws, TryRemoveClaim returns false), as for any claim an identity does
/// not own. Clone() copies everything into a plain <see cref="ClaimsIdentity"/>.
/// </summary>
internal sealed class CachedClaimsIdentity : ClaimsIdentity
{
    private readonly Claim[] _shared;

    public CachedClaimsIdentity(Claim[] shared, string? authenticationType, string? nameType, string? roleType)
        : base(authenticationType, nameType, roleType)
    {
        _shared = shared;
    }

    public override IEnumerable<Claim> Claims
    {
        get
        {
            foreach (var claim in _shared)
            {
                yield return claim;
            }

            foreach (var claim in base.Claims)
            {
                yield return claim;
            }
        }
    }

    public override ClaimsIdentity Clone() =>
        new(Claims, AuthenticationType, NameClaimType, RoleClaimType)
        {
            Actor = Actor,
            Label = Label,
            BootstrapContext = BootstrapContext,
        };
}
