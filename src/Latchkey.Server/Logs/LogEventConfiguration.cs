using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.Logs;

internal sealed class LogEventConfiguration : IEntityTypeConfiguration<LogEvent>
{
    /// <summary>How <see cref="LogEvent.Date"/> is stored: Unix milliseconds (SQLite cannot compare <c>DateTimeOffset</c> values in SQL).</summary>
    public static long StoredDate(DateTimeOffset date) => date.ToUnixTimeMilliseconds();

    public void Configure(EntityTypeBuilder<LogEvent> builder)
    {
        builder.ToTable("LogEvents");
        builder.HasKey(e => e.LogId);
        builder.Property(e => e.LogId).HasMaxLength(LogIds.Length);
        builder.Property(e => e.Type).HasMaxLength(32);
        builder.Property(e => e.Description).HasMaxLength(LogEntry.MaxTextLength);
        builder.Property(e => e.ClientId).HasMaxLength(LogEntry.MaxTextLength);
        builder.Property(e => e.ClientName).HasMaxLength(LogEntry.MaxTextLength);
        builder.Property(e => e.Ip).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(LogEntry.MaxTextLength);
        builder.Property(e => e.UserId).HasMaxLength(LogEntry.MaxTextLength);
        builder.Property(e => e.UserName).HasMaxLength(LogEntry.MaxTextLength);

        // Unix milliseconds (StoredDate): date ranges, sorting and pruning compare numbers on both providers.
        builder.Property(e => e.Date).HasConversion(v => StoredDate(v), v => DateTimeOffset.FromUnixTimeMilliseconds(v));

        // GET /logs sorts by date (and prunes by it); GET /users/{id}/logs and q=type:… narrow first.
        builder.HasIndex(e => e.Date);
        builder.HasIndex(e => new { e.UserId, e.Date });
        builder.HasIndex(e => new { e.Type, e.Date });
    }
}
