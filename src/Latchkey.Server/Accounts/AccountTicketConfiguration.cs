using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.Accounts;

internal sealed class AccountTicketConfiguration : IEntityTypeConfiguration<AccountTicket>
{
    public void Configure(EntityTypeBuilder<AccountTicket> builder)
    {
        builder.ToTable("AccountTickets");
        builder.HasKey(t => t.TokenHash);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.Property(t => t.Purpose).HasMaxLength(32);
        builder.Property(t => t.UserId).HasMaxLength(128);
        builder.Property(t => t.ClientId).HasMaxLength(128);
        builder.Property(t => t.ResultUrl).HasMaxLength(2048);
        builder.HasIndex(t => t.UserId);

        // Unix milliseconds, as LoginThrottles: SQLite cannot compare DateTimeOffset values in SQL, and "unused and not
        // expired" is checked inside the one UPDATE that uses a ticket.
        builder.Property(t => t.CreatedAt).HasConversion(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
        builder.Property(t => t.ExpiresAt).HasConversion(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
        builder.Property(t => t.UsedAt).HasConversion(v => v.HasValue ? v.Value.ToUnixTimeMilliseconds() : (long?)null, v => v.HasValue ? DateTimeOffset.FromUnixTimeMilliseconds(v.Value) : null);
    }
}
