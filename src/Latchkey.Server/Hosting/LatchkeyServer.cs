using Latchkey.Server.Accounts;
using Latchkey.Server.Actions;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Dashboard;
using Latchkey.Server.Email;
using Latchkey.Server.Hosting.Cors;
using Latchkey.Server.Login;
using Latchkey.Server.Logs;
using Latchkey.Server.Management;
using Latchkey.Server.Operations;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Latchkey.Server.Users.Import;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Hosting;

/// <summary>
/// Builds the Latchkey host. Program.cs and the integration tests both start here, so a test runs
/// exactly what <c>dotnet run</c> runs (real Kestrel, real database).
/// Each feature folder contributes one <c>AddLatchkey…</c> and one <c>MapLatchkey…</c>.
/// </summary>
public static class LatchkeyServer
{
    public const string DefaultUrl = "http://localhost:5000";

    /// <param name="args">Command-line arguments, as for <c>dotnet run</c>.</param>
    /// <param name="configureServices">
    /// Applied after every default registration, so it can replace one (the integration tests replace
    /// <see cref="TimeProvider"/> with a clock they move). <c>Program.cs</c> passes nothing.
    /// </param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var step = StartupTimeline.Now;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = DefaultContentRoot(args) });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var options = builder.Configuration.GetSection(LatchkeyOptions.Section).Get<LatchkeyOptions>() ?? new LatchkeyOptions();
        var issuer = ResolveIssuer(options.Issuer, builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"]);
        var forwardedHeaders = options.ForwardedHeaders.ToOptions();
        builder.Services.AddOptions<LatchkeyOptions>()
            .Bind(builder.Configuration.GetSection(LatchkeyOptions.Section))
            .PostConfigure(o => o.Issuer = issuer)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LatchkeyOptions>, LatchkeyOptionsValidator>();

        // First of the hosted services, so that the start-up timeline can split the host's start (StartupTimelineMarks).
        builder.Services.AddSingleton<IHostedService>(provider => new StartupTimelineMarks(provider.GetRequiredService<ILoggerFactory>(), first: true));

        // OpenIddict's Information logs keep secrets out of the log only if this runs: it is also what makes EF Core quiet.
        builder.Services.AddLatchkeyLoggingDefaults();
        builder.Services.AddLatchkeyPersistence(builder.Configuration, builder.Environment);
        builder.Services.AddDataProtection()
            .SetApplicationName("Latchkey")
            .PersistKeysToDbContext<LatchkeyDbContext>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TenantCache>();
        builder.Services.AddSingleton<ClientSecretHasher>();
        builder.Services.AddAuthorization();
        builder.Services.ConfigureHttpJsonOptions(json => StrictJson.Apply(json.SerializerOptions));
        builder.Services.AddLatchkeyCors();

        // Features register here; keep this list short and in pipeline order.
        builder.Services.AddLatchkeyUsers();
        builder.Services.AddLatchkeySessions();
        builder.Services.AddLatchkeyLogs();
        builder.Services.AddLatchkeyAttackProtection();
        builder.Services.AddLatchkeyTenants();
        builder.Services.AddLatchkeyActions();
        builder.Services.AddLatchkeyProtocol();
        builder.Services.AddLatchkeyLogin();
        builder.Services.AddLatchkeyEmail();
        builder.Services.AddLatchkeyAccounts();
        builder.Services.AddLatchkeyManagement();
        builder.Services.AddLatchkeyOperations(builder.Configuration);

        configureServices?.Invoke(builder.Services);
        builder.Services.AddSingleton<IHostedService>(provider => new StartupTimelineMarks(provider.GetRequiredService<ILoggerFactory>(), first: false));

        var app = builder.Build();
        step = StartupTimeline.Mark(app.Services, "host built (configuration, services)", step);

        // EF Core builds its internal services and, with the first context's services, the model, once, for whichever
        // use comes first; built here, so the timeline shows them apart from the steps below (the model is what a
        // compiled model would save).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            _ = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Database.ProviderName;
            step = StartupTimeline.Mark(app.Services, "EF Core internal services and model", step);
        }

        // Nodes sharing a database take turns here, so a cluster started at once migrates, imports and creates keys once.
        await using (await AdvisoryLock.AcquireAsync(app.Services, AdvisoryLock.StartupKey))
        {
            step = StartupTimeline.Mark(app.Services, "start-up lock", step);
            await app.Services.InitializeDatabaseAsync();
            step = StartupTimeline.Mark(app.Services, "database (migrations)", step);
            await app.Services.InitializeTenantAsync();
            step = StartupTimeline.Mark(app.Services, "tenant (Management API, import or seed, bootstrap)", step);
            await app.Services.InitializeProtocolAsync();
            step = StartupTimeline.Mark(app.Services, "protocol keys", step);
        }

        // Explicit order (the implicit one would run authentication before CORS): forwarded headers before anything reads
        // the client's address or scheme; CORS before authentication, because OpenIddict answers /oauth/token inside the
        // authentication middleware.
        if (forwardedHeaders is not null)
        {
            app.UseForwardedHeaders(forwardedHeaders);
        }

        app.UseLatchkeyOperations();
        app.UseCors();

        // After CORS, so a browser can read a 429; only endpoints marked RequireRateLimiting pay more than a metadata lookup.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapLatchkeyProtocol();
        app.MapLatchkeyLogin();
        app.MapLatchkeyAccounts();
        app.MapLatchkeyDashboard();
        app.MapLatchkeyManagement();
        app.MapLatchkeyOperations();
        step = StartupTimeline.Mark(app.Services, "pipeline and endpoints (OpenIddict options)", step);
        StartupTimelineMarks.Begin(step);

        return app;
    }

    /// <summary>
    /// The <c>migrate</c> command: applies pending migrations with the same configuration as the server (connection
    /// string, provider) and exits, for teams that run migrations as a deployment step before starting the nodes with
    /// <c>--Latchkey:Database:Migrate false</c>. Safe to run while nodes are up (the advisory lock serialises it).
    /// </summary>
    public static async Task<int> MigrateAsync(string[] args, TextWriter output)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = DefaultContentRoot(args) });
        builder.Services.AddLatchkeyPersistence(builder.Configuration, builder.Environment);
        using var host = builder.Build();
        var migrator = host.Services.GetRequiredService<DatabaseMigrator>();
        await using (await AdvisoryLock.AcquireAsync(host.Services, AdvisoryLock.StartupKey))
        {
            await migrator.MigrateAsync();
        }

        await output.WriteLineAsync(migrator.Applied.Count == 0
            ? "The database schema is current."
            : $"Applied {migrator.Applied.Count} migration(s): {string.Join(", ", migrator.Applied)}.");
        return 0;
    }

    /// <summary>
    /// The application's own directory, unless <c>contentRoot</c> is configured (command line, <c>ASPNETCORE_CONTENTROOT</c>,
    /// <c>DOTNET_CONTENTROOT</c>). ASP.NET Core would use the working directory, so a server started from elsewhere
    /// (<c>cd /srv &amp;&amp; dotnet /opt/latchkey/Latchkey.Server.dll</c>, as systemd units and containers do) would
    /// not find its <c>appsettings.json</c> and would put its default SQLite file somewhere else.
    /// </summary>
    internal static string? DefaultContentRoot(string[] args)
    {
        var configured = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[WebHostDefaults.ContentRootKey];
        return string.IsNullOrEmpty(configured) ? AppContext.BaseDirectory : null;
    }

    /// <summary>
    /// What <c>dotnet run</c> does: build, then serve until stopped (or, for <c>migrate</c> and <c>export</c>, <see cref="MigrateAsync"/> and <see cref="ExportAsync"/>). An operator error (an invalid tenant file or setting)
    /// is reported on <paramref name="error"/> as what to fix, without a stack trace, and the exit code is 1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        if (args is ["migrate", .. var migrateArgs])
        {
            return await MigrateAsync(migrateArgs, Console.Out);
        }

        if (args is ["export", .. var exportArgs])
        {
            return await ExportAsync(exportArgs, Console.Out, error);
        }

        if (args is ["import-auth0", .. var importArgs])
        {
            return await ImportAuth0Async(importArgs, Console.Out, error);
        }

        return await ReportOperatorErrorsAsync(error, async () =>
        {
            await using var app = await BuildAsync(args);
            await app.RunAsync();
            return 0;
        });
    }

    /// <summary>
    /// <c>export &lt;file|-&gt; [settings]</c>: writes the tenant in the tenant-file format that <c>--Latchkey:Import</c>
    /// reads (<see cref="TenantExporter"/>; no secrets, no users), using the same settings as the server (database,
    /// issuer). Nothing is imported or seeded; logs go to standard error so <c>export -</c> prints only the file.
    /// </summary>
    internal static async Task<int> ExportAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync("Usage: Latchkey.Server export <tenant.json | -> [--ConnectionStrings:Latchkey …] [--Latchkey:Issuer …]");
            return 2;
        }

        var path = args[0];
        return await ReportOperatorErrorsAsync(error, async () =>
        {
            await using var app = await BuildAsync(
            [
                .. args[1..],
                "--Latchkey:Import=",
                "--Latchkey:SeedDevelopmentTenant=false",
                "--Logging:Console:LogToStandardErrorThreshold=Trace",
            ]);
            await using var scope = app.Services.CreateAsyncScope();
            var (json, counts) = await scope.ServiceProvider.GetRequiredService<TenantExporter>().ExportAsync();
            try
            {
                await TenantExporter.WriteAsync(json, path, output, CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"Cannot write {path}: {ex.Message}");
                return 1;
            }

            await error.WriteLineAsync(
                $"Exported {counts.Apis} APIs, {counts.Applications} applications, {counts.ClientGrants} client grants, {counts.Roles} roles and the connection settings"
                + $"{(path == "-" ? string.Empty : $" to {path}")}. Not exported: client secrets and users (docs/tenant-file.md).");
            return 0;
        });
    }

    /// <summary>
    /// <c>import-auth0 --users &lt;file&gt; --hashes &lt;file&gt; [--connection name] [--upsert] [settings]</c>: joins Auth0's users
    /// export and password-hash export (<see cref="Auth0Export"/>) and imports them with the same importer as
    /// <c>POST /api/v2/jobs/users-imports</c> (<see cref="UserImporter"/>), using the server's settings (database).
    /// Either file may be left out. Prints the summary and each refused user; the exit code is 1 if any was refused.
    /// </summary>
    internal static async Task<int> ImportAuth0Async(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? usersPath = null, hashesPath = null;
        var connection = Connection.DefaultName;
        var upsert = false;
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--users" when i + 1 < args.Length:
                    usersPath = args[++i];
                    break;
                case "--hashes" when i + 1 < args.Length:
                    hashesPath = args[++i];
                    break;
                case "--connection" when i + 1 < args.Length:
                    connection = args[++i];
                    break;
                case "--upsert":
                    upsert = true;
                    break;
                default:
                    settings.Add(args[i]);
                    break;
            }
        }

        if (usersPath is null && hashesPath is null)
        {
            await error.WriteLineAsync("Usage: Latchkey.Server import-auth0 --users <users.ndjson|json> --hashes <hashes.ndjson> [--connection Username-Password-Authentication] [--upsert] [--ConnectionStrings:Latchkey …]");
            return 2;
        }

        Auth0Export.Result joined;
        try
        {
            var users = usersPath is null ? [] : Auth0Export.ReadRecords(await File.ReadAllTextAsync(usersPath));
            var hashes = hashesPath is null ? [] : Auth0Export.ReadRecords(await File.ReadAllTextAsync(hashesPath));
            joined = Auth0Export.Join(users, hashes, connection);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            await error.WriteLineAsync($"Cannot read the export: {ex.Message}");
            return 1;
        }

        return await ReportOperatorErrorsAsync(error, async () =>
        {
            await using var app = await BuildAsync([.. settings, "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
            await using var scope = app.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<UserImporter>().ImportAsync(joined.Users, upsert, 0, null, CancellationToken.None);
            foreach (var refused in result.Errors)
            {
                await error.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(refused, Management.ManagementJson.Options));
            }

            var summary = result.Summary;
            await output.WriteLineAsync(
                $"Imported {summary.Total} users from Auth0: {summary.Inserted} inserted, {summary.Updated} updated, {summary.Failed} refused; "
                + $"{joined.WithoutHash} without a password hash. Skipped: {joined.SkippedSocial} users of other connections (social, enterprise), "
                + $"{joined.SkippedOtherConnections} hashes of other database connections.");
            return summary.Failed == 0 ? 0 : 1;
        });
    }

    /// <summary>An operator error (an invalid tenant file or setting) is reported as what to fix, without a stack trace; exit code 1.</summary>
    private static async Task<int> ReportOperatorErrorsAsync(TextWriter error, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (TenantFileException ex)
        {
            await error.WriteLineAsync("Latchkey did not start: the tenant file is invalid.");
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (SchemaNotCurrentException ex)
        {
            await error.WriteLineAsync("Latchkey did not start: " + ex.Message);
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync("Latchkey did not start: the configuration is invalid.");
            foreach (var failure in ex.Failures)
            {
                await error.WriteLineAsync("  " + failure);
            }

            return 1;
        }
    }

    /// <summary>The issuer always ends with exactly one slash (auth0-spa-js expects <c>domain + "/"</c>).</summary>
    internal static Uri ResolveIssuer(Uri? configured, string? urls)
    {
        var raw = configured?.AbsoluteUri ?? (urls ?? DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return new Uri(raw.TrimEnd('/') + "/", UriKind.Absolute);
    }
}
