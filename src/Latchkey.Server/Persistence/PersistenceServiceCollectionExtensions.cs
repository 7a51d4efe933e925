using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Persistence;

internal static class PersistenceServiceCollectionExtensions
{
    public const string ConnectionStringName = "Latchkey";

    /// <summary>
    /// SQLite by default (a file in <c>./data</c>); PostgreSQL when the connection string looks like one
    /// (<c>Host=…</c>) or <c>Latchkey:Database=postgres</c> is set.
    /// </summary>
    public static IServiceCollection AddLatchkeyPersistence(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        var provider = configuration["Latchkey:Database"];
        var usePostgres = string.Equals(provider, "postgres", StringComparison.OrdinalIgnoreCase)
            || (provider is null && connectionString is not null && connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase));

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var folder = Path.Combine(environment.ContentRootPath, "data");
            Directory.CreateDirectory(folder);
            connectionString = $"Data Source={Path.Combine(folder, "latchkey.db")}";
        }

        if (usePostgres)
        {
            services.AddDbContext<LatchkeyDbContext, PostgresLatchkeyDbContext>(db => db.UseNpgsql(connectionString).UseOpenIddict());
        }
        else
        {
            services.AddDbContext<LatchkeyDbContext, SqliteLatchkeyDbContext>(db => db.UseSqlite(connectionString).UseOpenIddict());
        }

        return services;
    }

    public static async Task InitializeDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        if (db.Database.GetMigrations().Any())
        {
            await db.Database.MigrateAsync();
        }
        else
        {
            await db.Database.EnsureCreatedAsync();
        }
    }
}
