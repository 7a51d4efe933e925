using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.Management.Jobs;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.ToTable("Jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).HasMaxLength(40);
        builder.Property(j => j.Type).HasMaxLength(40);
        builder.Property(j => j.Status).HasMaxLength(20);
        builder.Property(j => j.ConnectionId).HasMaxLength(40);
        builder.Property(j => j.ExternalId).HasMaxLength(255);

        // The worker looks for the oldest job with work left.
        builder.HasIndex(j => new { j.Status, j.CreatedAt });
    }
}
