using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Authentication;

/// <summary>Start-up validation with messages that say which setting to change.</summary>
internal sealed class LatchkeyBearerOptionsValidator : IValidateOptions<LatchkeyBearerOptions>
{
    private static readonly HashSet<string> Asymmetric = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    public ValidateOptionsResult Validate(string? name, LatchkeyBearerOptions options)
    {
        var failures = new List<string>();
        var authority = AuthorityUri.TryNormalize(options.Authority, out var error);
        if (authority is null)
        {
            failures.Add(error!);
        }
        else if (authority.Scheme == Uri.UriSchemeHttp && !AuthorityUri.IsLoopback(authority) && !options.AllowHttpAuthority)
        {
            failures.Add($"Latchkey:Authority '{authority}' uses http on a non-loopback host: keys fetched that way can be replaced in transit. "
                + "Use https, or set Latchkey:AllowHttpAuthority=true for development only.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Latchkey:Audience is required: the identifier of this API in Latchkey, e.g. https://quickstarts/api.");
        }

        if (options.ValidAlgorithms.Count == 0 || options.ValidAlgorithms.Any(a => !Asymmetric.Contains(a)))
        {
            failures.Add($"Latchkey:ValidAlgorithms accepts only asymmetric JWS algorithms ({string.Join(", ", Asymmetric)}); 'none' and HMAC are never allowed.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add("Latchkey:ClockSkew must be between 00:00:00 and 00:05:00.");
        }

        if (options.MaxTokenBytes is < 512 or > 256 * 1024)
        {
            failures.Add("Latchkey:MaxTokenBytes must be between 512 and 262144.");
        }

        if (options.UnknownKeyRefreshInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Latchkey:UnknownKeyRefreshInterval must be at least 00:00:01, or forged key ids could hammer the authority.");
        }

        if (options.MetadataRefreshInterval < TimeSpan.FromMinutes(1))
        {
            failures.Add("Latchkey:MetadataRefreshInterval must be at least 00:01:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
