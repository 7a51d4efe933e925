using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>A model change without a migration for each provider fails here, not on a user's first start.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void SqliteModel_ComparedWithMigrations_HasNoPendingChanges() =>
        AssertNoPendingChanges(new SqliteDesignTimeFactory());

    [Fact]
    public void PostgresModel_ComparedWithMigrations_HasNoPendingChanges() =>
        AssertNoPendingChanges(new PostgresDesignTimeFactory());

    private static void AssertNoPendingChanges<TContext>(IDesignTimeDbContextFactory<TContext> factory)
        where TContext : LatchkeyDbContext
    {
        using var context = factory.CreateDbContext([]);

        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(), $"{typeof(TContext).Name}: run `dotnet ef migrations add <Name> --context {typeof(TContext).Name}`.");
    }
}
