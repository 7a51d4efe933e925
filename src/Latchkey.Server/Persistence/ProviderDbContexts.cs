using Latchkey.Server.Management.Users.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Latchkey.Server.Persistence;

/// <summary>The embedded default: one SQLite file.</summary>
public sealed class SqliteLatchkeyDbContext(DbContextOptions<SqliteLatchkeyDbContext> options) : LatchkeyDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        UserSearchModel.ConfigureSqlite(modelBuilder);
    }
}

/// <summary>PostgreSQL, for several nodes sharing one database.</summary>
public sealed class PostgresLatchkeyDbContext(DbContextOptions<PostgresLatchkeyDbContext> options) : LatchkeyDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        UserSearchModel.ConfigurePostgres(modelBuilder);
    }
}

/// <summary>Lets <c>dotnet ef migrations add X --context SqliteLatchkeyDbContext</c> build the context without the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLatchkeyDbContext>
{
    public SqliteLatchkeyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteLatchkeyDbContext>().UseSqlite("Data Source=design.db").UseOpenIddict().UseUserSearchFunctions(postgres: false).Options);
}

/// <summary>Lets <c>dotnet ef migrations add X --context PostgresLatchkeyDbContext</c> build the context without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLatchkeyDbContext>
{
    public PostgresLatchkeyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresLatchkeyDbContext>().UseNpgsql("Host=localhost;Database=latchkey_design").UseOpenIddict().UseUserSearchFunctions(postgres: true).Options);
}
