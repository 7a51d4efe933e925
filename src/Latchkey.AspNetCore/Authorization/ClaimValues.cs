using System.Security.Claims;

namespace Latchkey.AspNetCore.Authorization;

/// <summary>Membership tests over claim values without splitting into new strings.</summary>
internal static class ClaimValues
{
    /// <summary>True when <paramref name="wanted"/> is one of the space-separated words of any claim of that type.</summary>
    public static bool HasWord(ClaimsPrincipal user, string claimType, string wanted)
    {
        foreach (var identity in user.Identities)
        {
            foreach (var claim in identity.Claims)
            {
                if (!string.Equals(claim.Type, claimType, StringComparison.Ordinal))
                {
                    continue;
                }

                var value = claim.Value.AsSpan();
                foreach (var range in value.Split(' '))
                {
                    if (value[range].SequenceEqual(wanted))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>True when a claim of that type equals <paramref name="wanted"/> (one claim per JSON array element).</summary>
    public static bool HasValue(ClaimsPrincipal user, string claimType, string wanted)
    {
        foreach (var identity in user.Identities)
        {
            foreach (var claim in identity.Claims)
            {
                if (string.Equals(claim.Type, claimType, StringComparison.Ordinal) && string.Equals(claim.Value, wanted, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static string[] Validate(string[] values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        if (values.Length == 0 || values.Any(v => string.IsNullOrWhiteSpace(v) || v.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Give at least one value, each a single non-empty word without spaces.", paramName);
        }

        return values;
    }
}
