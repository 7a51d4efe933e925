using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Latchkey.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TenantLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LogEvents",
                columns: table => new
                {
                    LogId = table.Column<string>(type: "TEXT", maxLength: 56, nullable: false),
                    Date = table.Column<long>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    ClientName = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Details = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LogEvents", x => x.LogId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LogEvents_Date",
                table: "LogEvents",
                column: "Date");

            migrationBuilder.CreateIndex(
                name: "IX_LogEvents_Type_Date",
                table: "LogEvents",
                columns: new[] { "Type", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_LogEvents_UserId_Date",
                table: "LogEvents",
                columns: new[] { "UserId", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LogEvents");
        }
    }
}
