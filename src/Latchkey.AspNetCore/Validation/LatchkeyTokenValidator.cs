using System.Collections.Frozen;
using System.Security.Claims;
using Latchkey.AspNetCore.Caching;
using Latchkey.AspNetCore.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.AspNetCore.Validation;

/// <summary>
/// Validates access tokens with Microsoft.IdentityModel (<see cref="JsonWebTokenHandler"/>), once per distinct token:
/// a valid token's claims are cached under the SHA-256 of the raw token until its <c>exp</c>, so a repeated token costs
/// one hash, one dictionary lookup and two small objects instead of a parse and an RSA verification.
/// </summary>
internal sealed class LatchkeyTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _template;
    private readonly AuthorityMetadata _metadata;
    private readonly ValidatedTokenCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxTokenLength;
    private readonly long _skewTicks;
    private readonly FrozenSet<string> _algorithms;
    private volatile KeyedParameters? _parameters;

    public LatchkeyTokenValidator(
        Uri issuer,
        string audience,
        IEnumerable<string> algorithms,
        TimeSpan clockSkew,
        int maxTokenBytes,
        ValidatedTokenCache cache,
        Func<Action<AuthoritySnapshot>, AuthorityMetadata> metadataFactory,
        TimeProvider time,
        ILogger logger)
    {
        _cache = cache;
        _time = time;
        _logger = logger;
        _maxTokenLength = maxTokenBytes;
        _skewTicks = clockSkew.Ticks;
        _algorithms = algorithms.ToFrozenSet(StringComparer.Ordinal);
        _metadata = metadataFactory(OnKeysChanged);
        _template = new TokenValidationParameters
        {
            ValidIssuer = issuer.AbsoluteUri,
            ValidAudience = audience,
            // RFC 9068 §2.1 (at+jwt) and Auth0's default access tokens (JWT). Anything else (logout+jwt, none) is refused.
            ValidTypes = ["at+jwt", "application/at+jwt", "JWT"],
            ValidAlgorithms = _algorithms.ToArray(),
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // A token must name its key; no "try every key" fallback (RFC 8725 §3.10).
            TryAllIssuerSigningKeys = false,
            ClockSkew = clockSkew,
            LifetimeValidator = ValidateLifetime,
            NameClaimType = "sub",
            RoleClaimType = "roles",
            AuthenticationType = LatchkeyDefaults.AuthenticationScheme,
            SaveSigninToken = false,
        };
    }

    internal ValidatedTokenCache Cache => _cache;

    internal AuthorityMetadata Metadata => _metadata;

    /// <summary>Validates a token (the characters after <c>Bearer </c>). Completes synchronously on a cache hit.</summary>
    public ValueTask<TokenValidationOutcome> ValidateAsync(ReadOnlyMemory<char> token)
    {
        if (token.Length > _maxTokenLength)
        {
            return new(TokenValidationOutcome.InvalidToken("token too large"));
        }

        if (!TokenHash.TryCompute(token.Span, out var hash))
        {
            return new(TokenValidationOutcome.InvalidToken("malformed token"));
        }

        var now = _time.GetUtcNow().UtcTicks;
        _metadata.RefreshInBackgroundIfDue();
        if (_cache.TryGet(hash, now, out var cached))
        {
            return new(TokenValidationOutcome.Valid(cached!));
        }

        return ValidateUncachedAsync(token.ToString(), hash);
    }

    /// <summary>
    /// True when an entry this request already holds (see the handler's per-connection memo) may be used again:
    /// still in the cache (not evicted, key still published) and not past the token's <c>exp</c>.
    /// </summary>
    public bool IsStillValid(CachedToken entry)
    {
        _metadata.RefreshInBackgroundIfDue();
        return !entry.Removed && entry.ExpiresUtcTicks > _time.GetUtcNow().UtcTicks;
    }

    private async ValueTask<TokenValidationOutcome> ValidateUncachedAsync(string token, TokenHash hash)
    {
        var problem = JwsPreflight.Check(token, _algorithms, out var keyId);
        if (problem is not null)
        {
            return TokenValidationOutcome.InvalidToken(problem);
        }

        AuthoritySnapshot snapshot;
        try
        {
            snapshot = await _metadata.GetAsync();
            if (keyId is not null && !snapshot.KeyIds.Contains(keyId))
            {
                snapshot = await _metadata.RefreshForUnknownKeyAsync(snapshot);
            }
        }
        catch (Exception ex) when (AuthorityMetadata.IsFetchFailure(ex))
        {
            _logger.LogWarning(ex, "The authority's signing keys are unavailable.");
            return TokenValidationOutcome.InvalidToken("signing keys unavailable");
        }

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, ParametersFor(snapshot));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or SecurityTokenException or System.Text.Json.JsonException)
        {
            return TokenValidationOutcome.InvalidToken("malformed token");
        }

        if (!result.IsValid)
        {
            return TokenValidationOutcome.InvalidToken(Describe(result.Exception));
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (IdTokenRule.LooksLikeIdToken(jwt))
        {
            return TokenValidationOutcome.InvalidToken("an ID token is not an access token");
        }

        // Materialise the claims once; every request (this one included) gets its own identity over them.
        var validated = result.ClaimsIdentity;
        var claims = validated.Claims.ToArray();
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero).UtcTicks;
        var entry = new CachedToken(
            claims,
            validated.AuthenticationType,
            validated.NameClaimType,
            validated.RoleClaimType,
            expires,
            jwt.Kid,
            ValidatedTokenCache.EstimateBytes(token.Length, claims.Length));
        _cache.Add(hash, entry, _time.GetUtcNow().UtcTicks);
        return TokenValidationOutcome.Valid(entry);
    }

    private TokenValidationParameters ParametersFor(AuthoritySnapshot snapshot)
    {
        var current = _parameters;
        if (current is not null && ReferenceEquals(current.Snapshot, snapshot))
        {
            return current.Parameters;
        }

        var parameters = _template.Clone();
        parameters.IssuerSigningKeys = snapshot.Configuration.SigningKeys;
        _parameters = new KeyedParameters(snapshot, parameters);
        return parameters;
    }

    private void OnKeysChanged(AuthoritySnapshot snapshot) => _cache.RetainKeys(snapshot.KeyIds);

    /// <summary>Lifetime on the injected clock (IdentityModel's own check reads DateTime.UtcNow).</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("token has no expiry");
        }

        if (expires.Value.Ticks + _skewTicks <= now)
        {
            throw new SecurityTokenExpiredException("token expired") { Expires = expires.Value };
        }

        if (notBefore is not null && notBefore.Value.Ticks - _skewTicks > now)
        {
            throw new SecurityTokenNotYetValidException("token not yet valid") { NotBefore = notBefore.Value };
        }

        if (token is JsonWebToken jwt && jwt.TryGetPayloadValue<long>("iat", out var iat)
            && DateTimeOffset.FromUnixTimeSeconds(iat).UtcTicks - _skewTicks > now)
        {
            throw new SecurityTokenInvalidLifetimeException("token issued in the future");
        }

        return true;
    }

    /// <summary>Short, stable descriptions for error_description; the full exception stays in the server log.</summary>
    private string Describe(Exception? exception)
    {
        _logger.LogDebug(exception, "Access token refused.");
        return exception switch
        {
            SecurityTokenExpiredException => "token expired",
            SecurityTokenNotYetValidException => "token not yet valid",
            SecurityTokenNoExpirationException => "token has no expiry",
            SecurityTokenInvalidLifetimeException e => e.Message == "token issued in the future" ? e.Message : "invalid token lifetime",
            SecurityTokenInvalidIssuerException => "unexpected issuer",
            SecurityTokenInvalidAudienceException => "unexpected audience",
            SecurityTokenInvalidAlgorithmException => "unsupported algorithm",
            SecurityTokenInvalidTypeException => "unsupported token type",
            SecurityTokenSignatureKeyNotFoundException => "unknown signing key",
            SecurityTokenInvalidSignatureException => "invalid signature",
            _ => "invalid token",
        };
    }

    private sealed record KeyedParameters(AuthoritySnapshot Snapshot, TokenValidationParameters Parameters);
}
