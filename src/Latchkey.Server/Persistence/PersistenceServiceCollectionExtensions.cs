using Latchkey.Server.Hosting;
using Latchkey.Server.Management.Users.Search;
using Latchkey.Server.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Persistence;

internal static class PersistenceServiceCollectionExtensions
{
    public const string ConnectionStringName = "Latchkey";

    /// <summary><c>Normal</c> (default) or <c>Full</c>: see <see cref="SqliteSynchronous"/>.</summary>
    public const string SqliteSynchronousKey = "Latchkey:Sqlite:Synchronous";

    /// <summary>
    /// SQLite by default (a file in <c>./data</c>); PostgreSQL when the connection string looks like one
    /// (<c>Host=…</c>) or <c>Latchkey:Database:Provider=postgres</c> is set.
    /// </summary>
    public static IServiceCollection AddLatchkeyPersistence(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<LatchkeyMetrics>();
        services.TryAddSingleton<DatabaseLatencyInterceptor>();

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        var provider = configuration.GetSection(LatchkeyOptions.Section).Get<LatchkeyOptions>()?.Database.Provider;
        var usePostgres = string.Equals(provider, "postgres", StringComparison.OrdinalIgnoreCase)
            || (provider is null && connectionString is not null && connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase));

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var folder = Path.Combine(environment.ContentRootPath, "data");
            Directory.CreateDirectory(folder);
            connectionString = $"Data Source={Path.Combine(folder, "latchkey.db")}";
        }

        // The options depend only on the connection string, so they are built once (singleton) instead of once per
        // scope: every token request resolves OpenIddict's application manager, whose EF store takes a DbContext, and
        // rebuilding DbContextOptions per request cost ~3 % of the token endpoint's CPU (bench part c, perf profile).
        if (usePostgres)
        {
            services.AddDbContext<LatchkeyDbContext, PostgresLatchkeyDbContext>(
                (provider, db) => db.UseNpgsql(connectionString).UseOpenIddict().UseUserSearchFunctions(postgres: true).ConfigureWarnings(SkipPendingModelCheck).AddInterceptors(provider.GetRequiredService<DatabaseLatencyInterceptor>()), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        }
        else
        {
            var synchronous = configuration.GetValue(SqliteSynchronousKey, SqliteSynchronous.Normal);
            var settings = new SqliteConnectionSettings(synchronous);
            services.AddDbContext<LatchkeyDbContext, SqliteLatchkeyDbContext>(
                (provider, db) => db.UseSqlite(connectionString).UseOpenIddict().UseUserSearchFunctions(postgres: false).ConfigureWarnings(SkipPendingModelCheck).AddInterceptors(settings, provider.GetRequiredService<DatabaseLatencyInterceptor>()), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        }

        return services;
    }

    /// <summary>
    /// The server runs on a compiled model (<c>Persistence/CompiledModels</c>); <c>Migrate</c> would build the model from
    /// <c>OnModelCreating</c> anyway to compare it with the migrations' snapshot (the pending-model-changes warning), a
    /// cost the first start of every new database paid on top of the compiled model (docs/performance.md, finding 5).
    /// With the warning ignored EF Core skips the comparison; <c>MigrationTests</c> makes it in CI instead.
    /// </summary>
    private static void SkipPendingModelCheck(WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(RelationalEventId.PendingModelChangesWarning);

    /// <summary>
    /// Applies pending migrations (<see cref="DatabaseOptions.Migrate"/>), or, when migrations are a separate step,
    /// refuses to start on a schema this build does not match.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var migrator = services.GetRequiredService<DatabaseMigrator>();
        if (services.GetRequiredService<IOptions<LatchkeyOptions>>().Value.Database.Migrate)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        else if (await migrator.PendingAsync(cancellationToken) is { Count: > 0 } pending)
        {
            throw new SchemaNotCurrentException(pending);
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        if (db.Database.IsSqlite())
        {
            // Readers never block the writer and a commit appends to the log instead of rewriting pages. EF Core creates
            // new files in WAL already; this covers a file created by anything else. Persistent, so set once here.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }
    }
}
