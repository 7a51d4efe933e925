using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.AttackProtection;

internal sealed class LoginThrottleConfiguration : IEntityTypeConfiguration<LoginThrottle>
{
    public void Configure(EntityTypeBuilder<LoginThrottle> builder)
    {
        builder.ToTable("LoginThrottles");
        builder.HasKey(t => new { t.Subject, t.IpAddress });
        builder.Property(t => t.Subject).HasMaxLength(320);
        builder.Property(t => t.IpAddress).HasMaxLength(64);

        // Unix milliseconds: SQLite cannot compare DateTimeOffset values in SQL, and windows are compared atomically.
        builder.Property(t => t.FirstFailureAt).HasConversion(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
        builder.Property(t => t.LastFailureAt).HasConversion(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
    }
}
