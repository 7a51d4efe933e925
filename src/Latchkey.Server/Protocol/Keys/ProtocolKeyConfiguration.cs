using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.Protocol.Keys;

internal sealed class ProtocolKeyConfiguration : IEntityTypeConfiguration<ProtocolKey>
{
    public void Configure(EntityTypeBuilder<ProtocolKey> builder)
    {
        builder.ToTable("ProtocolKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(100);
        builder.Property(k => k.Use).HasMaxLength(10);
        builder.HasIndex(k => new { k.Use, k.Generation }).IsUnique();
    }
}
