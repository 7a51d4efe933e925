namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What an API (resource server) may be, for the tenant file and the Management API alike (Ory Hydra's
/// <c>ClientValidator</c> idea: one validator behind every way in).
/// </summary>
internal static class ApiRules
{
    public const int MaxIdentifierLength = 600;
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 500;
    public const int MinTokenLifetime = 60;

    /// <summary>Auth0's upper bound for access-token lifetimes: 30 days.</summary>
    public const int MaxTokenLifetime = 2_592_000;

    /// <summary>
    /// Only RS256 for now: every token is signed with the tenant's RSA key as RS256, and accepting PS256 would promise
    /// a signature the server does not make.
    /// </summary>
    public static readonly IReadOnlyList<string> SigningAlgorithms = ["RS256"];

    /// <summary>Everything wrong with <paramref name="api"/>; <paramref name="path"/> prefixes each problem's path.</summary>
    public static List<RuleProblem> Check(ApiDraft api, string path = "")
    {
        ArgumentNullException.ThrowIfNull(api);
        var problems = new List<RuleProblem>();
        if (api.Identifier is { } identifier)
        {
            var at = RulePath.Join(path, "identifier");
            problems.Add(at, ValueRules.Text(identifier, MaxIdentifierLength, required: true)
                ?? (identifier.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? $"\"{identifier}\" must not contain whitespace or control characters" : null));
        }

        if (api.Name is { } name)
        {
            problems.Add(RulePath.Join(path, "name"), ValueRules.Name(name, MaxNameLength));
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var scopes = api.Scopes ?? [];
        for (var i = 0; i < scopes.Count; i++)
        {
            if (scopes[i] is not { } scope)
            {
                continue;
            }

            var at = RulePath.Index(RulePath.Join(path, "scopes"), i);
            if (scope.Value is { } value)
            {
                var problem = ValueRules.Scope(value);
                problems.Add(RulePath.Join(at, "value"), problem);
                if (problem is null && !seen.TryAdd(value, at))
                {
                    problems.Add(RulePath.Join(at, "value"), $"\"{value}\" is a duplicate of {RulePath.Join(seen[value], "value")}");
                }
            }

            if (scope.Description is { } description)
            {
                problems.Add(RulePath.Join(at, "description"), ValueRules.Text(description, MaxDescriptionLength, required: false));
            }
        }

        if (api.SigningAlg is { } alg)
        {
            problems.Add(RulePath.Join(path, "signing_alg"), ValueRules.OneOf(alg, SigningAlgorithms));
        }

        var lifetimeProblem = api.TokenLifetime is { } lifetime ? ValueRules.Range(lifetime, MinTokenLifetime, MaxTokenLifetime) : null;
        problems.Add(RulePath.Join(path, "token_lifetime"), lifetimeProblem);
        if (api.TokenLifetimeForWeb is { } forWeb)
        {
            // Auth0: "Cannot be greater than the token_lifetime value".
            var limit = lifetimeProblem is null ? api.TokenLifetime ?? Api.DefaultTokenLifetime : MaxTokenLifetime;
            problems.Add(RulePath.Join(path, "token_lifetime_for_web"), ValueRules.Range(forWeb, MinTokenLifetime, MaxTokenLifetime)
                ?? (forWeb > limit ? $"{forWeb} must not exceed token_lifetime ({limit})" : null));
        }

        if (api.TokenDialect is { } dialect)
        {
            problems.Add(RulePath.Join(path, "token_dialect"), ValueRules.OneOf(dialect, TokenDialects.All));
        }

        return problems;
    }
}
