//! The second backend: statements go to MaxCompute over its REST API.
//!
//! The script driver (`crate::run::driver`) checks a script against the
//! project's state as this backend reads it from the service (account
//! providers, members, roles and who holds them, and what else the
//! statements need), so revoke-before-remove, the RAM provider and the
//! rest are checked before anything is sent; then it hands the backend
//! one statement at a time to check again and send ([`RemoteSession`]'s
//! `execute`). That state is read once, when the first statement needs
//! it, and kept up to date with each statement's changes.

mod facts;
mod policies;
mod properties;
mod snapshot;

use std::collections::BTreeSet;

use mcauth_engine::{Caller, Context, Fact, Needs, PrincipalId, ProjectState, StateView, check_in};
use mcauth_odps::{Client, ConfigFlags, OdpsError, ProcessEnv, SecurityQuery};
use mcauth_syntax::ast::{Statement, StatementKind};

use crate::cli::{Cli, ResultFormat};
use crate::run::driver::{Outcome, Run};
use crate::run::printer::OutputPrinter;

/// Where an endpoint is named, if anywhere, first to last: `--endpoint`,
/// `--config`, `MCAUTH_ENDPOINT`, the default config file when it exists.
/// Whether statements then go to MaxCompute is the target rule's to say
/// ([`crate::target::decide`]): a `--store` flag beats all but the first two.
pub fn configured(cli: &Cli) -> Option<crate::target::EndpointChoice> {
    use crate::target::{EndpointChoice, Source};
    use mcauth_odps::{ENV_ENDPOINT, Env as _};
    let choice = |shown: String, source| Some(EndpointChoice { shown, source });
    if let Some(url) = &cli.remote.endpoint {
        return choice(
            mcauth_odps::redact_endpoint(url),
            Source::Flag("--endpoint"),
        );
    }
    if let Some(file) = &cli.remote.config {
        return choice(file.display().to_string(), Source::Flag("--config"));
    }
    if let Some(url) = ProcessEnv.var(ENV_ENDPOINT) {
        return choice(
            mcauth_odps::redact_endpoint(&url),
            Source::Env(ENV_ENDPOINT),
        );
    }
    let file = mcauth_odps::default_config_path(&ProcessEnv).filter(|p| p.is_file())?;
    choice(file.display().to_string(), Source::ConfigFile(file))
}

pub struct RemoteSession {
    rt: tokio::runtime::Runtime,
    client: Client,
    project: String,
    caller: Caller,
    /// What has been read of the project so far (see `snapshot`).
    state: Option<ProjectState>,
    /// The caller may not read the project itself (its owner): statements
    /// then go unchecked, for MaxCompute alone to judge.
    unreadable: bool,
    /// The kinds of fact the caller may not read (each noted once); they
    /// stay unknown.
    refused: BTreeSet<Fact>,
    pub printer: OutputPrinter,
    options: crate::run::SessionOptions,
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

    fn nothing_done(&self) -> &'static str {
        "nothing was sent"
    }

    fn printer(&mut self) -> &mut OutputPrinter {
        &mut self.printer
    }

    fn options(&self) -> &crate::run::SessionOptions {
        &self.options
    }

    fn options_mut(&mut self) -> &mut crate::run::SessionOptions {
        &mut self.options
    }

    fn completion_names(&mut self) -> crate::run::CompletionNames {
        self.state
            .as_ref()
            .map(crate::run::completion_names)
            .unwrap_or_default()
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

    fn caller(&self) -> &Caller {
        &self.caller
    }

    fn holds_whole_project(&self) -> bool {
        false
    }

    fn table_owner(&mut self, table: &str) -> Result<Option<mcauth_engine::PrincipalId>, String> {
        RemoteSession::table_owner(self, table)
    }

    fn other_project(&mut self, name: &str) -> Result<Option<ProjectState>, String> {
        RemoteSession::other_project(self, name)
    }

    /// Reads what `needs` asks for and has not been read yet. What could
    /// not be read stays unknown: questions about it are answered "not
    /// verified".
    fn read_state(
        &mut self,
        needs: &Needs,
    ) -> Result<Option<(&ProjectState, Option<i64>)>, String> {
        self.read_for(&Needs::default())
            .and_then(|()| self.read_for(needs))
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        let now = crate::explain::project::wall_clock();
        Ok(self.state.as_ref().map(|state| (state, now)))
    }

    fn execute(&mut self, run: &mut Run<'_>) -> Result<(), String> {
        // Each statement is sent on its own: its answer is durable.
        if let Some((statement, text)) = run.next() {
            let outcome = self
                .send(&statement, text, run.context())
                .map_err(|e| crate::diagnostics::one_line(&e))?;
            run.outcome(statement, outcome);
        }
        Ok(())
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
            state: None,
            unreadable: false,
            refused: BTreeSet::new(),
            printer,
            options: crate::run::SessionOptions::new(
                cli,
                Context {
                    skip_existing: cli.run.skip_existing,
                    ..Context::default()
                },
            ),
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

    /// Checks and sends one statement in `ctx`, and keeps the cached state
    /// in step with what became of it. `Err`: the connection failed and
    /// the run must end.
    fn send(
        &mut self,
        statement: &Statement,
        source: &str,
        ctx: &Context,
    ) -> Result<Outcome, OdpsError> {
        if Context::is_session_setting(statement) {
            // A session setting stays with the client, as odpscmd keeps
            // it, and goes with every later query as a setting.
            let ok = if self.printer.format == ResultFormat::Json {
                "{}"
            } else {
                ""
            };
            return Ok(Outcome::Answered {
                answer: ok.to_owned(),
                change: true,
                kind: Some("ok".to_owned()),
                warnings: Vec::new(),
            });
        }
        self.prepare([statement])?;
        let effect = self
            .state
            .as_ref()
            .map(|state| check_in(state, &self.caller, ctx, statement));
        // Unchecked (`None`): the changes are not known, so an unknown
        // outcome cannot be settled and is reported as it is.
        let (changes, warnings, change, kind) = match effect {
            // `--skip-existing`: what it makes is there; nothing to send.
            Some(Ok(effect)) if effect.is_skipped() => return Ok(Outcome::Checked(Ok(effect))),
            Some(Ok(effect)) => {
                let change = matches!(effect.output, mcauth_engine::Output::Ok);
                let kind = output_kind(&effect.output);
                (Some(effect.changes), effect.warnings, change, kind)
            }
            Some(Err(failure)) => return Ok(Outcome::Checked(Err(failure))),
            None => (None, Vec::new(), true, None),
        };
        let answer = if let Some(call) = policies::PolicyCall::of(statement, &ctx.documents) {
            self.rt.block_on(call.send(&self.client, &self.project))
        } else if let Some(call) = properties::PropertiesCall::of(statement) {
            let json = self.printer.format != ResultFormat::Text;
            self.rt
                .block_on(call.send(&self.client, &self.project, json))
        } else {
            self.query(statement, source, ctx, changes.as_deref())
        };
        match answer {
            Ok(answer) => {
                if let Some(state) = self.state.as_mut() {
                    for change in changes.iter().flatten() {
                        mcauth_engine::apply(state, change);
                    }
                }
                Ok(Outcome::Answered {
                    answer,
                    change,
                    kind,
                    warnings,
                })
            }
            Err(e) if e.service().is_some() => {
                // The service refused: our copy of its state may be stale.
                self.state = None;
                Ok(Outcome::Refused(e))
            }
            Err(e) => Err(e),
        }
    }

    /// Sends a statement as a security query, settling an unknown outcome
    /// when its changes are known (see [`Self::settle_unknown`]).
    fn query(
        &mut self,
        statement: &Statement,
        source: &str,
        ctx: &Context,
        changes: Option<&[mcauth_engine::Change]>,
    ) -> Result<String, OdpsError> {
        let answer = match (self.run_query(source, ctx), changes) {
            (Err(e), Some(changes)) if e.outcome_unknown() => {
                self.settle_unknown(statement, (source, ctx), changes, e)
            }
            (other, _) => other,
        };
        match answer {
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
        (source, ctx): (&str, &Context),
        changes: &[mcauth_engine::Change],
        error: OdpsError,
    ) -> Result<String, OdpsError> {
        let resend = |this: &mut Self, why: &str| {
            eprintln!("mcauth: {why}; sending `{statement}` again");
            this.run_query(source, ctx)
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
    fn run_query(&self, source: &str, ctx: &Context) -> Result<String, OdpsError> {
        let mut query = SecurityQuery::new(source).json(self.printer.format != ResultFormat::Text);
        // The session's schema mode and schema, as odpscmd sends them.
        if let Some(on) = ctx.namespace_schema {
            query = query.setting(mcauth_engine::NAMESPACE_SCHEMA, on.to_string());
        }
        if let Some(schema) = &ctx.schema {
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

/// The `type` of an output's JSON form (`ok`, `users`, `grants`, …): the
/// one name the engine's serialisation gives each kind of result.
fn output_kind(output: &mcauth_engine::Output) -> Option<String> {
    match serde_json::to_value(output) {
        Ok(serde_json::Value::Object(mut m)) => match m.remove("type") {
            Some(serde_json::Value::String(kind)) => Some(kind),
            _ => None,
        },
        _ => None,
    }
}
