using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.Actions;

internal sealed class ActionBindingConfiguration : IEntityTypeConfiguration<ActionBinding>
{
    public void Configure(EntityTypeBuilder<ActionBinding> builder)
    {
        builder.ToTable("ActionBindings");
        builder.HasKey(b => b.Id);
        builder.HasIndex(b => new { b.TriggerId, b.Position });
        builder.Property(b => b.TriggerId).HasMaxLength(64);
        builder.Property(b => b.ActionId).HasMaxLength(64);
        builder.Property(b => b.DisplayName).HasMaxLength(200);
        builder.HasOne<ActionDefinition>().WithMany().HasForeignKey(b => b.ActionId).OnDelete(DeleteBehavior.Cascade);
    }
}
