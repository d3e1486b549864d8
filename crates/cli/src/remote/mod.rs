//! The second backend: statements go to MaxCompute over its REST API.
//!
//! Before anything is sent, the engine plans the script against the
//! project's state as read from the service (account providers, members,
//! roles and who holds them), so revoke-before-remove, the RAM provider
//! and the rest are checked first. That state is read once, when the first
//! statement needs it, and kept up to date with each statement's changes.

mod facts;
mod policies;
mod properties;
mod snapshot;

use std::process::ExitCode;

use std::collections::BTreeSet;

use mcauth_engine::{
    Caller, Context, Fact, Failure, Needs, Overlay, Plan, PrincipalId, ProjectState, StateView,
    check_in,
};
use mcauth_odps::{Client, ConfigFlags, OdpsError, ProcessEnv, SecurityQuery};
use mcauth_syntax::ast::{Statement, StatementKind};

use crate::run::policy_files::read_policy_files;

use crate::cli::{Cli, OnError, ResultFormat};
use crate::exit;
use crate::run::printer::OutputPrinter;
use crate::source::ScriptText;

/// Where an endpoint is named, if anywhere, first to last: `--endpoint`,
/// `--config`, `MCAUTH_ENDPOINT`, the default config file when it exists.
/// Whether statements then go to MaxCompute is the target rule's to say
/// ([`crate::target::decide`]): a `--store` flag beats all but the first two.
pub fn configured(cli: &Cli) -> Option<crate::target::EndpointChoice> {
    use crate::target::{EndpointChoice, Source};
    use mcauth_odps::config::{ENV_ENDPOINT, Env as _};
    let choice = |shown: String, source| Some(EndpointChoice { shown, source });
    if let Some(url) = &cli.remote.endpoint {
        return choice(url.clone(), Source::Flag("--endpoint"));
    }
    if let Some(file) = &cli.remote.config {
        return choice(file.display().to_string(), Source::Flag("--config"));
    }
    if let Some(url) = ProcessEnv.var(ENV_ENDPOINT) {
        return choice(url, Source::Env(ENV_ENDPOINT));
    }
    let file = mcauth_odps::config::default_config_path(&ProcessEnv).filter(|p| p.is_file())?;
    choice(file.display().to_string(), Source::ConfigFile(file))
}

pub struct RemoteSession {
    rt: tokio::runtime::Runtime,
    client: Client,
    project: String,
    caller: Caller,
    /// The policy documents of the script or entry being run.
    ctx: Context,
    /// What has been read of the project so far (see `snapshot`).
    state: Option<ProjectState>,
    /// The caller may not read the project itself (its owner): statements
    /// then go unchecked, for MaxCompute alone to judge.
    unreadable: bool,
    /// The kinds of fact the caller may not read (each noted once); they
    /// stay unknown.
    refused: BTreeSet<Fact>,
    pub printer: OutputPrinter,
    dry_run: bool,
    yes: bool,
    /// `--echo` / `-v`: a summary line after a script.
    summary: bool,
    /// What the script being run came to.
    tally: crate::run::script::Tally,
    /// See [`crate::run::Backend::preset_documents`].
    preset: crate::run::Documents,
}

impl crate::run::Backend for RemoteSession {
    fn project_name(&self) -> String {
        self.project.clone()
    }

    fn caller_name(&self) -> String {
        self.caller.principal.to_string()
    }

    fn location(&self) -> String {
        format!("on {}", self.client.config().endpoint)
    }

    fn printer(&mut self) -> &mut OutputPrinter {
        &mut self.printer
    }

    fn assume_yes(&self) -> bool {
        self.yes
    }

    fn completion_names(&mut self) -> crate::run::CompletionNames {
        self.state
            .as_ref()
            .map(crate::run::completion_names)
            .unwrap_or_default()
    }

    fn run_script(&mut self, name: &str, text: &ScriptText, on_error: OnError) -> ExitCode {
        RemoteSession::run_script(self, name, text, on_error)
    }

    fn check_statement(
        &mut self,
        statement: &Statement,
        documents: crate::run::Documents,
    ) -> Result<Option<Failure>, String> {
        let one_line = |e: OdpsError| crate::diagnostics::one_line(&e);
        self.prepare([statement]).map_err(one_line)?;
        if self.state.is_none() {
            // Unreadable: MaxCompute alone judges (see `read_for`).
            return Ok(None);
        }
        let plan = self
            .plan_statements(std::slice::from_ref(statement), documents)
            .map_err(one_line)?;
        Ok(plan.failures().next().map(|(_, failure)| failure.clone()))
    }

    fn use_project(&mut self, name: &str) -> Result<(), String> {
        // As odpscmd: the project must answer `whoami` for these
        // credentials; what was read of the old one is forgotten.
        let caller = self
            .rt
            .block_on(whoami(&self.client, name))
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        self.project = name.to_owned();
        self.caller = caller;
        self.state = None;
        self.unreadable = false;
        self.refused.clear();
        Ok(())
    }

    fn list_projects(&mut self) -> Result<Vec<String>, String> {
        // The projects the credentials may see, as odpscmd's `list
        // projects;` shows them.
        self.rt
            .block_on(self.client.list_projects())
            .map_err(|e| crate::diagnostics::one_line(&e))
    }

    fn whole_state(&mut self) -> Result<&ProjectState, String> {
        self.read_whole()
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        self.state.as_ref().ok_or_else(|| {
            format!(
                "{} may not read project {} (its owner), so its state cannot be read",
                self.caller.principal, self.project
            )
        })
    }

    fn caller(&self) -> &Caller {
        &self.caller
    }

    fn preset_documents(&mut self, documents: crate::run::Documents) {
        self.preset = documents;
    }

    fn read_state(
        &mut self,
        needs: &Needs,
    ) -> Result<Option<(&ProjectState, Option<i64>)>, String> {
        let now = crate::explain::project::wall_clock();
        Ok(RemoteSession::read_state(self, needs)?.map(|state| (state, now)))
    }

    fn run_statement(
        &mut self,
        statement: &Statement,
        text: &str,
        documents: crate::run::Documents,
    ) -> Result<(), String> {
        self.ctx.documents = documents;
        match self.send(statement, text) {
            Ok(_) => Ok(()),
            Err(_) => Err("the connection to MaxCompute failed".to_owned()),
        }
    }
}

impl RemoteSession {
    /// The projects MaxCompute lists for the caller (`GET /projects`),
    /// for `--project` names with wildcards: no project is opened.
    pub fn listed_projects(cli: &Cli) -> Result<Vec<String>, String> {
        // The listing names no project; the configuration still wants one.
        let project = cli
            .target
            .project
            .iter()
            .find(|p| !p.contains(['*', '?']))
            .map_or("-", String::as_str);
        let (rt, client) = connect(cli, Some(project))?;
        rt.block_on(client.list_projects())
            .map_err(|e| crate::diagnostics::one_line(&e))
    }

    pub fn open(
        cli: &Cli,
        project: Option<&str>,
        printer: OutputPrinter,
    ) -> Result<RemoteSession, String> {
        // A remote session keeps a small heap that churns with every
        // statement. With transparent huge pages, each 2 MB region the
        // allocator touches is faulted in whole, and memory grew with the
        // number of statements sent although the heap did not (27 MB
        // after 100,000 statements, against 9 MB without). Bulk runs on
        // the embedded store keep them: there they save page faults.
        #[cfg(target_os = "linux")]
        let _ = nix::sys::prctl::set_thp_disable(true);
        let (rt, client) = connect(cli, project)?;
        let project = client.config().project.clone();
        let caller = rt
            .block_on(whoami(&client, &project))
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        Ok(RemoteSession {
            rt,
            client,
            project,
            caller,
            ctx: Context {
                skip_existing: cli.run.skip_existing,
                ..Context::default()
            },
            state: None,
            unreadable: false,
            refused: BTreeSet::new(),
            printer,
            dry_run: cli.run.dry_run,
            yes: cli.run.yes,
            summary: cli.run.verbose > 0 || cli.run.echo,
            tally: crate::run::script::Tally::default(),
            preset: crate::run::Documents::new(),
        })
    }

    /// Reads what `needs` asks for and has not been read yet (the project
    /// itself on first use). After it, `self.state` is `None` only when
    /// the caller may not read the project at all (see
    /// [`Self::unreadable`]); a kind it may not read stays unknown.
    fn read_for(&mut self, needs: &Needs) -> Result<(), OdpsError> {
        if self.unreadable {
            return Ok(());
        }
        if self.state.is_none() {
            let opened =
                self.rt
                    .block_on(snapshot::open(&self.client, &self.project, &self.caller));
            match opened {
                Ok(state) => self.state = Some(state),
                Err(e) if e.service().is_some_and(|s| s.status == 403) => {
                    eprintln!(
                        "mcauth: note: {} may not read project {}, so statements are not checked before they are sent: MaxCompute alone judges them",
                        self.caller.principal, self.project
                    );
                    self.unreadable = true;
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        }
        let Some(state) = self.state.as_mut() else {
            return Ok(());
        };
        let before = self.refused.len();
        self.rt.block_on(snapshot::read_missing(
            &self.client,
            &self.project,
            state,
            needs,
            &mut self.refused,
        ))?;
        if self.refused.len() > before {
            let kinds: Vec<&str> = self.refused.iter().map(|f| f.describe()).collect();
            eprintln!(
                "mcauth: note: could not read {} of project {} as {}; statements that depend on them are not checked before they are sent: MaxCompute alone judges them",
                kinds.join(", "),
                self.project,
                self.caller.principal
            );
        }
        Ok(())
    }

    /// Reads every fact the caller may read: each kind an export holds,
    /// then the grants of every member and role.
    fn read_whole(&mut self) -> Result<(), OdpsError> {
        let mut needs = Needs::default();
        for kind in mcauth_engine::export::Kind::ALL {
            needs.facts.extend(kind.facts().iter().copied());
        }
        needs.facts.remove(&Fact::Grants);
        self.read_for(&needs)?;
        let Some(state) = self.state.as_ref() else {
            return Ok(());
        };
        let mut grants = Needs::default();
        grants.grants_of.extend(
            state
                .members()
                .into_iter()
                .map(mcauth_engine::GranteeId::User),
        );
        grants.grants_of.extend(
            state
                .roles()
                .into_iter()
                .map(mcauth_engine::GranteeId::Role),
        );
        self.read_for(&grants)
    }

    /// What some statements read, as this caller.
    fn needs<'a>(&self, statements: impl IntoIterator<Item = &'a Statement>) -> Needs {
        let owner = self
            .state
            .as_ref()
            .map_or(&self.caller.principal, |s| s.owner());
        Needs::of(statements, &self.caller, owner)
    }

    /// Opens the project (to learn its owner) and reads what `statements`
    /// need.
    fn prepare<'a>(
        &mut self,
        statements: impl IntoIterator<Item = &'a Statement>,
    ) -> Result<(), OdpsError> {
        self.read_for(&Needs::default())?;
        let needs = self.needs(statements);
        self.read_for(&needs)
    }

    /// Reads what `needs` asks for, and returns the project as read so
    /// far (`None` when the caller may not read the project at all). What
    /// could not be read stays unknown: questions about it are answered
    /// "not verified".
    pub fn read_state(&mut self, needs: &Needs) -> Result<Option<&ProjectState>, String> {
        self.read_for(&Needs::default())
            .and_then(|()| self.read_for(needs))
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        Ok(self.state.as_ref())
    }

    /// Plans statements with the policy documents they name, against the
    /// project as read from the service; nothing is sent (`check --plan`,
    /// and the prompt's check before it asks to confirm).
    pub fn plan_statements(
        &mut self,
        statements: &[Statement],
        documents: crate::run::Documents,
    ) -> Result<Plan, OdpsError> {
        self.ctx.documents = documents;
        self.plan(statements)
    }

    /// Plans a whole script (`--dry-run`), which needs the state.
    fn plan(&mut self, statements: &[Statement]) -> Result<Plan, OdpsError> {
        self.prepare(statements)?;
        let state = self.state.as_ref().ok_or_else(|| {
            invalid(&format!(
                "planning needs to read project {} (its owner), which this caller may not",
                self.project
            ))
        })?;
        Ok(mcauth_engine::plan_in(
            state,
            &self.caller,
            &self.ctx,
            statements,
        ))
    }

    /// Runs a script: syntax first (any error: nothing is sent), then the
    /// policy files it names, then every statement checked against a
    /// simulated copy of the project (with `--on-error stop`, any failure:
    /// nothing is sent), then each statement sent in turn. Each pass
    /// parses the script again rather than keeping its statements, so a
    /// 100,000-statement script runs in the memory of one statement (plus
    /// the project's own state). `--dry-run` plans the script whole, to
    /// print the plan.
    pub fn run_script(&mut self, name: &str, text: &ScriptText, on_error: OnError) -> ExitCode {
        const NOTHING: &str = "nothing was sent";
        if self.dry_run {
            return self.dry_run_script(name, text, on_error);
        }
        self.printer.set_source(name, text);
        let mut total = 0;
        let mut syntax_errors = Vec::new();
        // `put … policy` statements are few; they are kept to read the
        // files they name.
        let mut puts = Vec::new();
        for item in mcauth_syntax::statements(text) {
            match item {
                Ok(statement) => {
                    total += 1;
                    if matches!(
                        statement.kind,
                        StatementKind::PutPolicy { .. } | StatementKind::PutSecurityPolicy { .. }
                    ) {
                        puts.push(statement);
                    }
                }
                Err(error) => syntax_errors.push(error),
            }
        }
        if !syntax_errors.is_empty() {
            return crate::run::script::report_syntax_errors(
                syntax_errors.iter(),
                &mut self.printer,
                NOTHING,
            );
        }
        let files = read_policy_files(&puts, &self.preset, &self.printer.diagnostics);
        drop(puts);
        if files.refused > 0 {
            eprintln!("{NOTHING}");
            return exit::FAILED.into();
        }
        self.ctx.documents = files.documents;
        if on_error == OnError::Stop {
            let failures = match self.check_all(text) {
                Ok(failures) => failures,
                Err(e) => return self.connection_error(&e),
            };
            if !failures.is_empty() {
                let failures = failures.iter().map(|(s, f)| (Some(s), f));
                return crate::run::script::report_failures(
                    failures,
                    total,
                    &mut self.printer,
                    NOTHING,
                );
            }
        }
        self.tally = crate::run::script::Tally::default();
        let mut seen = 0;
        for statement in mcauth_syntax::statements(text).flatten() {
            seen += 1;
            let source = text.get(statement.span.range()).unwrap_or_default();
            match self.send(&statement, source) {
                Ok(true) => {}
                Ok(false) => {
                    self.tally.failed += 1;
                    if on_error == OnError::Stop {
                        break;
                    }
                }
                Err(code) => return code,
            }
        }
        self.tally.skipped = total - seen;
        self.printer.flush();
        if self.summary {
            eprintln!("{}", self.tally.summary());
        }
        if self.tally.failed > 0 {
            exit::FAILED.into()
        } else {
            ExitCode::SUCCESS
        }
    }

    /// Checks every statement of a script in order against a simulated
    /// copy of the project, keeping only the failures (with their
    /// statements, for the JSON form).
    fn check_all(&mut self, text: &str) -> Result<Vec<(Statement, Failure)>, OdpsError> {
        // One pass to learn what the script reads, then one read of it.
        self.read_for(&Needs::default())?;
        let mut needs = Needs::default();
        if let Some(state) = &self.state {
            for statement in mcauth_syntax::statements(text).flatten() {
                needs.add(&statement, &self.caller, state.owner());
            }
        }
        self.read_for(&needs)?;
        // Unreadable: nothing to check against.
        let Some(state) = &self.state else {
            return Ok(Vec::new());
        };
        let mut overlay = Overlay::new(state);
        let mut failures = Vec::new();
        // Session settings hold for the statements after them, as sent.
        let mut session: Option<Context> = None;
        for statement in mcauth_syntax::statements(text).flatten() {
            let ctx = session.as_ref().unwrap_or(&self.ctx);
            if let Err(failure) = overlay.check(&self.caller, ctx, &statement) {
                failures.push((statement, failure));
            } else if Context::is_session_setting(&statement) {
                session
                    .get_or_insert_with(|| self.ctx.clone())
                    .observe(&statement);
            }
        }
        Ok(failures)
    }

    /// `--dry-run`: the whole plan, printed; nothing is sent.
    fn dry_run_script(&mut self, name: &str, text: &ScriptText, on_error: OnError) -> ExitCode {
        let prepared = match crate::run::script::prepare(
            name,
            text,
            &self.preset,
            &mut self.printer,
            "nothing was sent",
        ) {
            Ok(prepared) => prepared,
            Err(code) => return code,
        };
        self.ctx.documents = prepared.documents;
        let plan = match self.plan(&prepared.statements) {
            Ok(plan) => plan,
            Err(e) => return self.connection_error(&e),
        };
        crate::run::script::settle_plan(
            &plan,
            &prepared.statements,
            true,
            on_error,
            &mut self.printer,
            "nothing was sent",
        )
        .unwrap_or(ExitCode::SUCCESS)
    }

    /// Checks and sends one statement. `Ok(false)`: it failed (reported).
    /// `Err`: the connection failed and the run must end.
    fn send(&mut self, statement: &Statement, source: &str) -> Result<bool, ExitCode> {
        if Context::is_session_setting(statement) {
            // A session setting stays with the client, as odpscmd keeps
            // it, and goes with every later query as a setting.
            self.ctx.observe(statement);
            let ok = if self.printer.format == ResultFormat::Json {
                "{}"
            } else {
                ""
            };
            self.tally.ran += 1;
            self.printer.remote_result(statement, ok, true, &[]);
            return Ok(true);
        }
        if let Err(e) = self.prepare([statement]) {
            return Err(self.connection_error(&e));
        }
        let effect = self
            .state
            .as_ref()
            .map(|state| check_in(state, &self.caller, &self.ctx, statement));
        // Unchecked (`None`): the changes are not known, so an unknown
        // outcome cannot be settled and is reported as it is.
        let (changes, warnings, change) = match effect {
            // `--skip-existing`: what it makes is there; nothing to send.
            Some(Ok(effect)) if effect.is_skipped() => {
                self.tally.existing += 1;
                self.printer.result(statement, Ok(effect));
                self.printer.flush();
                return Ok(true);
            }
            Some(Ok(effect)) => {
                let change = matches!(effect.output, mcauth_engine::Output::Ok);
                (Some(effect.changes), effect.warnings, change)
            }
            Some(Err(failure)) => {
                self.printer.result(statement, Err(failure));
                return Ok(false);
            }
            None => (None, Vec::new(), true),
        };
        if let Some(call) = policies::PolicyCall::of(statement, &self.ctx.documents) {
            let answer = self.rt.block_on(call.send(&self.client, &self.project));
            return self.settle(
                statement,
                changes.as_deref().unwrap_or_default(),
                (&warnings, change),
                answer,
            );
        }
        if let Some(call) = properties::PropertiesCall::of(statement) {
            let json = self.printer.format != ResultFormat::Text;
            let answer = self
                .rt
                .block_on(call.send(&self.client, &self.project, json));
            return self.settle(
                statement,
                changes.as_deref().unwrap_or_default(),
                (&warnings, change),
                answer,
            );
        }
        let answer = self.run_query(source);
        let answer = match (answer, &changes) {
            (Err(e), Some(changes)) if e.outcome_unknown() => {
                self.settle_unknown(statement, source, changes, e)
            }
            (other, _) => other,
        };
        let answer = match answer {
            Ok(json)
                if statement.kind == StatementKind::Whoami
                    && self.printer.format == ResultFormat::Text =>
            {
                Ok(whoami_text(
                    &json,
                    &self.client.config().endpoint,
                    &self.project,
                ))
            }
            other => other,
        };
        self.settle(
            statement,
            changes.as_deref().unwrap_or_default(),
            (&warnings, change),
            answer,
        )
    }

    /// Prints the service's answer to a statement and keeps the cached
    /// state in step with it.
    fn settle(
        &mut self,
        statement: &Statement,
        changes: &[mcauth_engine::Change],
        (warnings, change): (&[mcauth_engine::Warning], bool),
        answer: Result<String, OdpsError>,
    ) -> Result<bool, ExitCode> {
        match answer {
            Ok(result) => {
                if let Some(state) = self.state.as_mut() {
                    for change in changes {
                        mcauth_engine::apply(state, change);
                    }
                }
                self.tally.ran += 1;
                self.printer
                    .remote_result(statement, &result, change, warnings);
                Ok(true)
            }
            Err(e) if e.service().is_some() => {
                self.printer.remote_error(statement, &e);
                // The service refused: our copy of its state may be stale.
                self.state = None;
                Ok(false)
            }
            Err(e) => Err(self.connection_error(&e)),
        }
    }

    /// The statement was sent but its outcome is unknown (the connection
    /// dropped, or it timed out). Never re-send blindly. A query changes
    /// nothing and is simply asked again. A change the service's state
    /// shows (providers, members, roles, who holds them) is judged by
    /// reading that state back: there, it ran; absent, it is sent once
    /// more (groups too, read from `list [tenant] groups`); anything else
    /// is reported. A grant, revoke, purge or flag is
    /// idempotent in MaxCompute, so sending it again cannot apply it twice;
    /// so is a `create or replace` or `create … if not exists` of a row
    /// access or masking policy ([`snapshot::resends_alike`]).
    fn settle_unknown(
        &mut self,
        statement: &Statement,
        source: &str,
        changes: &[mcauth_engine::Change],
        error: OdpsError,
    ) -> Result<String, OdpsError> {
        let resend = |this: &mut Self, why: &str| {
            eprintln!("mcauth: {why}; sending `{statement}` again");
            this.run_query(source)
        };
        if changes.is_empty() {
            return resend(self, "the connection dropped during a query");
        }
        if !changes.iter().all(snapshot::is_observable) {
            if changes.iter().all(snapshot::is_idempotent)
                || snapshot::resends_alike(&statement.kind)
            {
                return resend(self, "the connection dropped; the statement is idempotent");
            }
            return Err(error);
        }
        let Some(before) = self.state.clone() else {
            return Err(error);
        };
        if !snapshot::can_judge(&before, changes) {
            return Err(error);
        }
        let mut after = before.clone();
        for change in changes {
            mcauth_engine::apply(&mut after, change);
        }
        let now = self.rt.block_on(snapshot::read_membership(
            &self.client,
            &self.project,
            &self.caller,
            changes,
        ))?;
        if snapshot::same_membership(&now, &after) {
            eprintln!(
                "mcauth: the connection dropped, but the service shows `{statement}` took effect"
            );
            return Ok(String::new());
        }
        if snapshot::same_membership(&now, &before) {
            return resend(
                self,
                "the connection dropped before the statement took effect",
            );
        }
        Err(error)
    }

    /// Sends one statement as a security query, waiting for its answer
    /// (Ctrl-C gives up the wait). Text answers for text output (as
    /// odpscmd asks for them), JSON answers for `--format json`.
    fn run_query(&self, source: &str) -> Result<String, OdpsError> {
        let mut query = SecurityQuery::new(source).json(self.printer.format != ResultFormat::Text);
        // The session's schema mode and schema, as odpscmd sends them.
        if let Some(on) = self.ctx.namespace_schema {
            query = query.setting(mcauth_engine::NAMESPACE_SCHEMA, on.to_string());
        }
        if let Some(schema) = &self.ctx.schema {
            query = query.setting(mcauth_engine::DEFAULT_SCHEMA, schema.clone());
        }
        let cancel = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        self.rt.block_on(
            self.client
                .run_security_query(&self.project, &query, cancel),
        )
    }

    fn connection_error(&mut self, e: &OdpsError) -> ExitCode {
        self.printer.flush();
        eprintln!("mcauth: {}", crate::diagnostics::one_line(e));
        ExitCode::from(exit::CONFIG)
    }
}

/// Who the credentials belong to, from `whoami`.
/// The network runtime and a client for `project` (or the one the command
/// line and configuration name), with the configuration's warnings
/// printed and, under `-vv`, every request logged.
fn connect(cli: &Cli, project: Option<&str>) -> Result<(tokio::runtime::Runtime, Client), String> {
    let flags = ConfigFlags {
        endpoint: cli.remote.endpoint.clone(),
        project: project
            .map(str::to_owned)
            .or_else(|| cli.target.project.first().cloned()),
        access_id: cli.remote.access_id.clone(),
        config_file: cli.remote.config.clone(),
    };
    let resolved =
        mcauth_odps::resolve(&flags, &ProcessEnv).map_err(|e| crate::diagnostics::one_line(&e))?;
    for warning in &resolved.warnings {
        eprintln!("mcauth: warning: {warning}");
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the network runtime: {e}"))?;
    let mut client = Client::new(resolved.config).map_err(|e| crate::diagnostics::one_line(&e))?;
    if cli.run.verbose >= 2 {
        client = client.with_log_hook(std::sync::Arc::new(|event: &mcauth_odps::HttpEvent<'_>| {
            eprintln!("{event}")
        }));
    }
    Ok((rt, client))
}

async fn whoami(client: &Client, project: &str) -> Result<Caller, OdpsError> {
    let query = SecurityQuery::new("whoami").json(true);
    let answer = client
        .run_security_query(project, &query, std::future::pending())
        .await?;
    let name = serde_json::from_str::<serde_json::Value>(&answer)
        .ok()
        .and_then(|v| {
            v.get("DisplayName")
                .and_then(|n| n.as_str())
                .map(str::to_owned)
        })
        .ok_or_else(|| {
            invalid(&format!(
                "whoami answered `{answer}`, without a DisplayName"
            ))
        })?;
    let principal = PrincipalId::parse(&name, "")
        .ok_or_else(|| invalid(&format!("whoami named `{name}`, which is not a principal")))?;
    // RAM policies live in RAM, which a MaxCompute client cannot read.
    Ok(Caller::from_principal(principal).with_unknown_ram_policies())
}

/// `whoami` as odpscmd prints it: MaxCompute answers JSON whatever the
/// format asked for (odpscmd parses it too), and the text is the one the
/// embedded store prints. An answer that is not that JSON is kept as it is.
fn whoami_text(answer: &str, endpoint: &str, project: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(answer) else {
        return answer.to_owned();
    };
    let field = |k: &str| {
        value
            .get(k)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let Some(display) = field("DisplayName") else {
        return answer.to_owned();
    };
    // With its provider, as the store prints it.
    let name = PrincipalId::parse(&display, "").map_or(display, |p| p.to_string());
    mcauth_engine::Whoami {
        name,
        source_ip: field("SourceIP"),
        vpc_id: field("VpcId"),
        endpoint: Some(endpoint.to_owned()),
        tunnel_endpoint: None,
        project: project.to_owned(),
        schema: None,
    }
    .to_string()
}

pub(crate) fn invalid(message: &str) -> OdpsError {
    OdpsError::InvalidResponse {
        method: "POST".to_owned(),
        path: "authorization".to_owned(),
        message: message.to_owned(),
    }
}
