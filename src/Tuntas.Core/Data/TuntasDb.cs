using Tuntas.Audit;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Meetings;
using Tuntas.Collaboration.Ranking;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Collaboration.VillageLabs;
using Tuntas.Complaints;
using Tuntas.Imports;
using Tuntas.P2kp;
using Tuntas.Programs;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Users;

namespace Tuntas.Data;

/// <summary>The one EF Core context. The schema itself comes from the SQL migrations in <c>Migrations/</c>, not from EF.</summary>
public sealed class TuntasDb(DbContextOptions<TuntasDb> options) : DbContext(options)
{
    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Family> Families => Set<Family>();
    public DbSet<Person> Persons => Set<Person>();
    public DbSet<FamilyChange> FamilyChanges => Set<FamilyChange>();
    public DbSet<Tuntas.Verivali.VerivaliPeriod> VerivaliPeriods => Set<Tuntas.Verivali.VerivaliPeriod>();
    public DbSet<Tuntas.Verivali.VerivaliLine> VerivaliLines => Set<Tuntas.Verivali.VerivaliLine>();
    public DbSet<Tuntas.Verivali.VerivaliMusdes> VerivaliMusdes => Set<Tuntas.Verivali.VerivaliMusdes>();
    public DbSet<Tuntas.Verivali.VerivaliLinePhoto> VerivaliLinePhotos => Set<Tuntas.Verivali.VerivaliLinePhoto>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();
    public DbSet<UserVillage> UserVillages => Set<UserVillage>();
    public DbSet<DataSharingAgreement> DataSharingAgreements => Set<DataSharingAgreement>();
    public DbSet<DataSharingItem> DataSharingItems => Set<DataSharingItem>();
    public DbSet<TargetingModel> TargetingModels => Set<TargetingModel>();
    public DbSet<EligibilityRule> EligibilityRules => Set<EligibilityRule>();
    public DbSet<TargetingRun> TargetingRuns => Set<TargetingRun>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<AssistanceProgram> Programs => Set<AssistanceProgram>();
    public DbSet<ProgramBudget> ProgramBudgets => Set<ProgramBudget>();
    public DbSet<Enrollment> Enrollments => Set<Enrollment>();
    public DbSet<EnrollmentEvent> EnrollmentEvents => Set<EnrollmentEvent>();
    public DbSet<Disbursement> Disbursements => Set<Disbursement>();
    public DbSet<Complaint> Complaints => Set<Complaint>();
    public DbSet<ComplaintEvent> ComplaintEvents => Set<ComplaintEvent>();
    public DbSet<ComplaintAttachment> ComplaintAttachments => Set<ComplaintAttachment>();
    public DbSet<ChangeRequest> ChangeRequests => Set<ChangeRequest>();
    public DbSet<Stakeholder> Stakeholders => Set<Stakeholder>();
    public DbSet<StakeholderContact> StakeholderContacts => Set<StakeholderContact>();
    public DbSet<StakeholderProgram> StakeholderPrograms => Set<StakeholderProgram>();
    public DbSet<Need> Needs => Set<Need>();
    public DbSet<Commitment> Commitments => Set<Commitment>();
    public DbSet<CommitmentEvent> CommitmentEvents => Set<CommitmentEvent>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<MeetingInvitee> MeetingInvitees => Set<MeetingInvitee>();
    public DbSet<MeetingDecision> MeetingDecisions => Set<MeetingDecision>();
    public DbSet<ActionItem> ActionItems => Set<ActionItem>();
    public DbSet<DigestRun> DigestRuns => Set<DigestRun>();
    public DbSet<VillageStatusThresholds> VillageStatusThresholds => Set<VillageStatusThresholds>();
    public DbSet<VillageStatusChange> VillageStatusHistory => Set<VillageStatusChange>();
    public DbSet<VillageTarget> VillageTargets => Set<VillageTarget>();
    public DbSet<CommunityRank> CommunityRankings => Set<CommunityRank>();
    // P2KP (docs/p2kp.md): BKM, UPK, KSM and the UPK loan book.
    public DbSet<Bkm> Bkms => Set<Bkm>();
    public DbSet<BkmMember> BkmMembers => Set<BkmMember>();
    public DbSet<Upk> Upks => Set<Upk>();
    public DbSet<Ksm> Ksms => Set<Ksm>();
    public DbSet<KsmMember> KsmMembers => Set<KsmMember>();
    public DbSet<UpkLoan> UpkLoans => Set<UpkLoan>();
    public DbSet<UpkLoanShare> UpkLoanShares => Set<UpkLoanShare>();
    public DbSet<UpkInstallment> UpkInstallments => Set<UpkInstallment>();
    public DbSet<UpkRepayment> UpkRepayments => Set<UpkRepayment>();
    public DbSet<UpkOperation> UpkOperations => Set<UpkOperation>();
    public DbSet<UpkCapital> UpkCapital => Set<UpkCapital>();
    public DbSet<CommunityMapEntry> CommunityMaps => Set<CommunityMapEntry>();
    public DbSet<P2kpPlan> P2kpPlans => Set<P2kpPlan>();
    public DbSet<P2kpActivity> P2kpActivities => Set<P2kpActivity>();
    public DbSet<P2kpActivityBudget> P2kpActivityBudgets => Set<P2kpActivityBudget>();
    public DbSet<P2kpBeneficiary> P2kpBeneficiaries => Set<P2kpBeneficiary>();
    public DbSet<P2kpProgress> P2kpProgress => Set<P2kpProgress>();
    public DbSet<P2kpProgressPhoto> P2kpProgressPhotos => Set<P2kpProgressPhoto>();
    public DbSet<P2kpGrant> P2kpGrants => Set<P2kpGrant>();
    // Record linkage (docs/linkage.md).
    public DbSet<Linkage.DuplicateDecision> DuplicateDecisions => Set<Linkage.DuplicateDecision>();
    public DbSet<Linkage.PersonMerge> PersonMerges => Set<Linkage.PersonMerge>();
    // Field data collection over OpenRosa (docs/field-collection.md).
    public DbSet<FieldCollection.DeviceToken> DeviceTokens => Set<FieldCollection.DeviceToken>();
    public DbSet<FieldCollection.FieldForm> FieldForms => Set<FieldCollection.FieldForm>();
    public DbSet<FieldCollection.FieldSubmission> FieldSubmissions => Set<FieldCollection.FieldSubmission>();
    public DbSet<FieldCollection.FieldSubmissionFile> FieldSubmissionFiles => Set<FieldCollection.FieldSubmissionFile>();
    public DbSet<Notifications.OutboxMessage> NotificationOutbox => Set<Notifications.OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TuntasDb).Assembly);
        // Tables and columns are snake_case in SQL (the migrations are hand-written SQL for both providers).
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                if (previousIsLowerOrDigit)
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsDigit(c) && i > 0 && char.IsLetter(name[i - 1]))
            {
                builder.Append('_').Append(c);
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
