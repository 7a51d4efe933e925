namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What an Application may be, for the tenant file and the Management API alike: its id, type, secret, URLs (exact,
/// https except loopback, <see cref="UrlRules"/>), grant types and refresh-token settings (Auth0's ranges).
/// </summary>
internal static class ApplicationRules
{
    public const int MaxClientIdLength = 200;
    public const int MaxNameLength = 200;
    public const int MaxSecretLength = 512;
    /// <summary>
    /// Secrets are stored with a fast keyed hash (<see cref="ClientSecretHasher"/>), so their strength is their length and
    /// randomness: at least 32 characters (Auth0 generates 64).
    /// </summary>
    public const int MinSecretLength = 32;
    public const int MaxDescriptionLength = 140;

    /// <summary>Auth0: at most 10 <c>client_metadata</c> properties, keys and values of at most 255 characters.</summary>
    public const int MaxMetadataProperties = 10;
    public const int MaxMetadataLength = 255;

    /// <summary>The ID token lifetime (<c>jwt_configuration.lifetime_in_seconds</c>): the server setting's range.</summary>
    public const int MinIdTokenLifetime = 60;
    public const int MaxIdTokenLifetime = 2_592_000;

    /// <summary>Grant types Latchkey implements, by their Auth0 names.</summary>
    public static readonly IReadOnlyList<string> SupportedGrantTypes = ["authorization_code", "implicit", "refresh_token", "client_credentials"];

    /// <summary>What Auth0's dashboard gives a new application of each type.</summary>
    public static IReadOnlyList<string> DefaultGrantTypes(string appType) =>
        appType == AppTypes.NonInteractive ? ["client_credentials"] : ["authorization_code", "refresh_token"];

    /// <summary>Everything wrong with <paramref name="application"/>; <paramref name="path"/> prefixes each problem's path.</summary>
    public static List<RuleProblem> Check(ApplicationDraft application, string path = "")
    {
        ArgumentNullException.ThrowIfNull(application);
        var problems = new List<RuleProblem>();
        if (application.ClientId is { } clientId)
        {
            problems.Add(RulePath.Join(path, "client_id"), ValueRules.Text(clientId, MaxClientIdLength, required: true)
                ?? (clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? null : $"\"{clientId}\" may contain only letters, digits, '-', '_' and '.'"));
        }

        var appType = application.AppType;
        if (appType is not null && ValueRules.OneOf(appType, AppTypes.All) is { } unknownType)
        {
            problems.Add(RulePath.Join(path, "app_type"), unknownType);
            appType = null;
        }

        var isPublic = AppTypes.IsPublic(appType);
        CheckSecret(problems, RulePath.Join(path, "client_secret"), application.ClientSecret, appType);
        CheckEach(problems, RulePath.Join(path, "callbacks"), application.Callbacks, v => UrlRules.CheckUrl(v, appType == AppTypes.Native));
        CheckEach(problems, RulePath.Join(path, "allowed_logout_urls"), application.AllowedLogoutUrls, v => UrlRules.CheckUrl(v, appType == AppTypes.Native));
        CheckEach(problems, RulePath.Join(path, "web_origins"), application.WebOrigins, UrlRules.CheckOrigin);
        CheckEach(problems, RulePath.Join(path, "allowed_origins"), application.AllowedOrigins, UrlRules.CheckOrigin);
        CheckEach(problems, RulePath.Join(path, "grant_types"), application.GrantTypes, grant =>
            !SupportedGrantTypes.Contains(grant, StringComparer.Ordinal)
                ? $"unknown grant type \"{grant}\" (expected one of: {string.Join(", ", SupportedGrantTypes)})"
                : grant == "client_credentials" && isPublic ? $"a {appType} application is public and cannot use client_credentials" : null);
        if (application.RefreshToken is { } refresh)
        {
            CheckRefreshToken(problems, RulePath.Join(path, "refresh_token"), refresh);
        }

        if (application.Name is { } name)
        {
            problems.Add(RulePath.Join(path, "name"), ValueRules.Name(name, MaxNameLength));
        }

        if (application.Description is { } description)
        {
            problems.Add(RulePath.Join(path, "description"), ValueRules.Text(description, MaxDescriptionLength, required: false));
        }

        if (application.TokenEndpointAuthMethod is { } method)
        {
            problems.Add(RulePath.Join(path, "token_endpoint_auth_method"), ValueRules.OneOf(method, TokenEndpointAuthMethods.All)
                ?? (appType is null ? null
                    : isPublic && method != TokenEndpointAuthMethods.None ? $"a {appType} application is public: its token_endpoint_auth_method is \"none\""
                    : !isPublic && method == TokenEndpointAuthMethods.None ? $"a {appType} application is confidential: use client_secret_post or client_secret_basic"
                    : null));
        }

        if (application.IdTokenLifetime is { } idTokenLifetime)
        {
            problems.Add(RulePath.Join(RulePath.Join(path, "jwt_configuration"), "lifetime_in_seconds"), ValueRules.Range(idTokenLifetime, MinIdTokenLifetime, MaxIdTokenLifetime));
        }

        if (application.ClientMetadata is { } metadata)
        {
            CheckMetadata(problems, RulePath.Join(path, "client_metadata"), metadata);
        }

        return problems;
    }

    private static void CheckMetadata(List<RuleProblem> problems, string path, IReadOnlyDictionary<string, string?> metadata)
    {
        if (metadata.Count > MaxMetadataProperties)
        {
            problems.Add(path, $"has {metadata.Count} properties; at most {MaxMetadataProperties} are allowed");
        }

        foreach (var (key, value) in metadata)
        {
            var at = RulePath.Join(path, key);
            problems.Add(at, key.Length is 0 or > MaxMetadataLength ? $"property names are 1 to {MaxMetadataLength} characters"
                : key.Any(c => !(char.IsAsciiLetterOrDigit(c) || MetadataKeySymbols.Contains(c))) ? $"property name \"{key}\" may contain only letters, digits and {MetadataKeySymbols}"
                : value is null ? null
                : ValueRules.Text(value, MaxMetadataLength, required: false));
        }
    }

    /// <summary>The punctuation Auth0 allows in <c>client_metadata</c> property names (besides letters and digits).</summary>
    private const string MetadataKeySymbols = ":,-+=_*?\"/\\()<>@\t ";

    private static void CheckSecret(List<RuleProblem> problems, string path, string? secret, string? appType)
    {
        if (secret is not null && ValueRules.Text(secret, MaxSecretLength, required: false) is { } text)
        {
            problems.Add(path, text);
            return;
        }

        if (appType is null)
        {
            return;
        }

        // A confidential application without a secret here keeps the one it has, or gets a generated one that only
        // the Management API's rotate-secret reveals (an exported tenant file carries no secrets).
        var isPublic = AppTypes.IsPublic(appType);
        problems.Add(path, (isPublic, secret) switch
        {
            (true, not null) => $"a {appType} application is public and must not have a secret",
            (false, { Length: < MinSecretLength }) => $"must be at least {MinSecretLength} characters (use a generated random secret)",
            _ => null,
        });
    }

    private static void CheckRefreshToken(List<RuleProblem> problems, string path, RefreshTokenDraft refresh)
    {
        if (refresh.InfiniteTokenLifetime is { } infinite && refresh.ExpirationType is { } type
            && infinite != (type == ExpirationTypes.NonExpiring) && ValueRules.OneOf(type, ExpirationTypes.All) is null)
        {
            problems.Add(RulePath.Join(path, "infinite_token_lifetime"), $"{(infinite ? "true" : "false")} contradicts expiration_type \"{type}\" (a non-expiring refresh token is one with an infinite token lifetime)");
        }

        if (refresh.InfiniteIdleTokenLifetime == true)
        {
            problems.Add(RulePath.Join(path, "infinite_idle_token_lifetime"), "must be false: every refresh token has an idle lifetime (idle_token_lifetime)");
        }

        if (refresh.RotationType is { } rotation)
        {
            problems.Add(RulePath.Join(path, "rotation_type"), ValueRules.OneOf(rotation, RotationTypes.All));
        }

        if (refresh.ExpirationType is { } expiration)
        {
            problems.Add(RulePath.Join(path, "expiration_type"), ValueRules.OneOf(expiration, ExpirationTypes.All));
        }

        if (refresh.Leeway is { } leeway)
        {
            problems.Add(RulePath.Join(path, "leeway"), ValueRules.Range(leeway, 0, 300));
        }

        var lifetimeProblem = refresh.TokenLifetime is { } lifetime ? ValueRules.Range(lifetime, 60, 31_557_600) : null;
        var idleProblem = refresh.IdleTokenLifetime is { } idle ? ValueRules.Range(idle, 60, 31_557_600) : null;
        problems.Add(RulePath.Join(path, "token_lifetime"), lifetimeProblem);
        problems.Add(RulePath.Join(path, "idle_token_lifetime"), idleProblem);
        var policy = refresh.ToPolicy();
        if (lifetimeProblem is null && idleProblem is null && policy.IdleTokenLifetime > policy.TokenLifetime)
        {
            problems.Add(RulePath.Join(path, "idle_token_lifetime"), $"{policy.IdleTokenLifetime} must not exceed token_lifetime ({policy.TokenLifetime})");
        }
    }

    private static void CheckEach(List<RuleProblem> problems, string path, IReadOnlyList<string?>? values, Func<string, string?> check)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            if (values![i] is { } value)
            {
                problems.Add(RulePath.Index(path, i), check(value));
            }
        }
    }
}
