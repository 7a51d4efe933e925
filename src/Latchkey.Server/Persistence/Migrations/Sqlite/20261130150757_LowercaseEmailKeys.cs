using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Latchkey.Server.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Account keys (<c>Users.NormalizedEmail</c>, and the login throttle's subjects, which are the same keys) were the
    /// upper-cased address; they are now lower-cased (Users/EmailAddress). Data only: the schema does not change.
    /// </summary>
    public partial class LowercaseEmailKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Users\" SET \"NormalizedEmail\" = lower(\"NormalizedEmail\");");
            migrationBuilder.Sql("UPDATE \"LoginThrottles\" SET \"Subject\" = lower(\"Subject\") WHERE \"Subject\" NOT LIKE '#%';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Users\" SET \"NormalizedEmail\" = upper(\"NormalizedEmail\");");
            migrationBuilder.Sql("UPDATE \"LoginThrottles\" SET \"Subject\" = upper(\"Subject\") WHERE \"Subject\" NOT LIKE '#%';");
        }
    }
}
