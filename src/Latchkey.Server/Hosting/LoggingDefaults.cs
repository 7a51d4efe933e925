namespace Latchkey.Server.Hosting;

/// <summary>
/// Log levels that matter, kept in code so they hold wherever the server starts from and whatever its
/// <c>appsettings.json</c> says.
/// <list type="bullet">
/// <item><b>Defaults</b> (configuration may lower them): ASP.NET Core and EF Core at Warning, so a token request does
/// not write a line per SQL command.</item>
/// <item><b>Caps</b> (configuration cannot lower them): categories that write tokens, codes, verifiers or secrets
/// below Warning. OpenIddict logs whole requests at Information (<c>code_verifier</c> unredacted) and every token
/// it creates or validates at Trace; ASP.NET Core's hosting diagnostics log each request line with its query string
/// (<c>id_token_hint</c>, a misplaced <c>access_token</c>); Kestrel's bad-request log quotes the request line.
/// A rule that would enable them below Warning, however specific, is raised to Warning.</item>
/// </list>
/// </summary>
internal static class LoggingDefaults
{
    private static readonly string[] Quiet = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore"];

    private static readonly string[] Capped = ["OpenIddict", "Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Server.Kestrel.BadRequests"];

    public static IServiceCollection AddLatchkeyLoggingDefaults(this IServiceCollection services) =>
        services.PostConfigure<LoggerFilterOptions>(options =>
        {
            // First in the list: a configured rule for the same category comes later and wins.
            foreach (var category in Quiet)
            {
                options.Rules.Insert(0, new LoggerFilterRule(null, category, LogLevel.Warning, null));
            }

            for (var i = 0; i < options.Rules.Count; i++)
            {
                var rule = options.Rules[i];
                if (rule.CategoryName is { } category && Capped.Any(capped => IsWithin(category, capped)) && rule.LogLevel is null or < LogLevel.Warning)
                {
                    options.Rules[i] = new LoggerFilterRule(rule.ProviderName, rule.CategoryName, LogLevel.Warning, rule.Filter);
                }
            }

            // Last in the list: more specific than the default rule, and later than any configured rule of the same name;
            // once per provider that has rules of its own, because a provider's own rules beat every general rule.
            var providers = options.Rules.Select(rule => rule.ProviderName).Where(provider => provider is not null).Distinct(StringComparer.Ordinal).ToList();
            foreach (var provider in providers.Prepend(null))
            {
                foreach (var category in Capped)
                {
                    options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, null));
                }
            }
        });

    private static bool IsWithin(string category, string prefix) =>
        category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (category.Length == prefix.Length || category[prefix.Length] == '.');
}
