using Latchkey.Server.Persistence;
using Latchkey.Server.Users;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>
/// The Rbac migration moves role assignments from a list of role names on the user row to the <c>UserRoles</c> table;
/// a database upgraded from before it keeps every assignment whose role exists (on both providers).
/// </summary>
public sealed class RbacMigrationTests
{
    private static readonly Guid Clerk = Guid.Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF");

    [Fact]
    public async Task Migrate_SqliteUserWithRoleNames_KeepsAssignmentsOfExistingRoles()
    {
        var path = Path.Combine(Path.GetTempPath(), $"latchkey-rbac-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteLatchkeyDbContext>().UseSqlite($"Data Source={path}").UseOpenIddict().Options;
            await using var db = new SqliteLatchkeyDbContext(options);
            await AssertAssignmentsCarriedOverAsync(
                db,
                $"""INSERT INTO "Roles" ("Id", "Name", "Permissions") VALUES ('{Clerk.ToString().ToUpperInvariant()}', 'clerk', '[]')""",
                """
                INSERT INTO "Users" ("UserId", "Email", "NormalizedEmail", "EmailVerified", "UserMetadata", "AppMetadata", "Roles", "Blocked", "CreatedAt", "UpdatedAt", "LoginsCount")
                VALUES ('latchkey|a', 'a@example.com', 'A@EXAMPLE.COM', 0, '{{}}', '{{}}', '["clerk","ghost"]', 0, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', 0)
                """);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Migrate_PostgresUserWithRoleNames_KeepsAssignmentsOfExistingRoles()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var options = new DbContextOptionsBuilder<PostgresLatchkeyDbContext>().UseNpgsql(database.ConnectionString).UseOpenIddict().Options;
        await using var db = new PostgresLatchkeyDbContext(options);
        await AssertAssignmentsCarriedOverAsync(
            db,
            $"""INSERT INTO "Roles" ("Id", "Name", "Permissions") VALUES ('{Clerk}', 'clerk', '[]')""",
            """
            INSERT INTO "Users" ("UserId", "Email", "NormalizedEmail", "EmailVerified", "UserMetadata", "AppMetadata", "Roles", "Blocked", "CreatedAt", "UpdatedAt", "LoginsCount")
            VALUES ('latchkey|a', 'a@example.com', 'A@EXAMPLE.COM', false, '{{}}', '{{}}', ARRAY['clerk','ghost'], false, now(), now(), 0)
            """);
    }

    private static async Task AssertAssignmentsCarriedOverAsync(LatchkeyDbContext db, string insertRole, string insertUser)
    {
        var migrations = db.Database.GetMigrations().ToList();
        var rbac = migrations.FindIndex(m => m.EndsWith("_Rbac", StringComparison.Ordinal));
        Assert.True(rbac > 0, "no Rbac migration");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(migrations[rbac - 1]);
        await db.Database.ExecuteSqlRawAsync(insertRole);
        await db.Database.ExecuteSqlRawAsync(insertUser);

        await migrator.MigrateAsync();

        var assignment = Assert.Single(await db.Set<UserRole>().AsNoTracking().ToListAsync());
        Assert.Equal(("latchkey|a", Clerk), (assignment.UserId, assignment.RoleId));
    }
}
