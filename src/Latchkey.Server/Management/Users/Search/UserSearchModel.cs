using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// What the user search needs from each database beyond the provider-neutral model (<see cref="UserConfiguration"/>),
/// applied by each provider's context: the column types and indexes that let <c>GET /api/v2/users?q=</c> use an index
/// (docs/performance.md, "User search"). The SQL functions of <see cref="UserSearchFunctions"/> are registered with the
/// options instead, so that the model can be compiled.
/// </summary>
internal static class UserSearchModel
{
    /// <summary>
    /// SQLite stores <see cref="DateTimeOffset"/> as ISO text but EF Core refuses to compare or order it in SQL. The
    /// users' times are written in UTC with the same text format (the one EF Core already uses), so comparing the text
    /// compares the instants; the converter makes that explicit and normalises any offset to UTC on write.
    /// </summary>
    public static void ConfigureSqlite(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var utcText = new ValueConverter<DateTimeOffset, string>(
            value => value.ToUniversalTime().ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture),
            text => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        var user = modelBuilder.Entity<User>();
        user.Property(u => u.CreatedAt).HasConversion(utcText);
        user.Property(u => u.UpdatedAt).HasConversion(utcText);
        user.Property(u => u.LastLogin).HasConversion(utcText);
    }

    /// <summary>
    /// PostgreSQL: the metadata columns are <c>jsonb</c> with a GIN index (<c>jsonb_path_ops</c>), which serves
    /// <c>@&gt;</c> containment for every key; the email index uses <c>text_pattern_ops</c> so that a prefix
    /// (<c>LIKE 'abc%'</c>) uses it whatever the database's collation (it serves equality as well).
    /// </summary>
    public static void ConfigurePostgres(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var user = modelBuilder.Entity<User>();
        user.Property(u => u.UserMetadata).HasColumnType("jsonb");
        user.Property(u => u.AppMetadata).HasColumnType("jsonb");
        user.HasIndex(u => u.UserMetadata).HasMethod("gin").HasOperators("jsonb_path_ops");
        user.HasIndex(u => u.AppMetadata).HasMethod("gin").HasOperators("jsonb_path_ops");
        user.HasIndex(u => u.NormalizedEmail).IsUnique().HasOperators("text_pattern_ops");
    }
}
