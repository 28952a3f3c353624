//! `id-map.csv`: which production user each dev user became. Built from the production
//! export (its `external_id` is the dev id the import set), from the migration tool's logs
//! (a `{"userId": dev, "status": "success", "clerkUserId": prod}` line for each user it
//! created), and, marked as weaker evidence, from a production user holding the dev user's
//! email, phone or username. A dev id with two production users, or the reverse, is listed
//! as a conflict and left out: never a guess.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::core::record::clean_cell;

pub const ID_MAP_CSV: &str = "id-map.csv";

/// What tied a dev user to its production user, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    ExternalId,
    MigrationLog,
    Email,
    Phone,
    Username,
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::ExternalId => "external_id",
            Evidence::MigrationLog => "migration_log",
            Evidence::Email => "email",
            Evidence::Phone => "phone",
            Evidence::Username => "username",
        }
    }

    /// Only an identifier matched: the accounts may belong to different people.
    pub fn is_identifier_only(self) -> bool {
        matches!(self, Evidence::Email | Evidence::Phone | Evidence::Username)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    pub dev_id: String,
    pub prod_id: String,
    pub email: String,
    pub matched_by: Evidence,
}

/// Ids that cannot be mapped without a guess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// `one dev id, several production users` or `one production user, several dev ids`.
    pub kind: ConflictKind,
    /// The id that has several partners.
    pub id: String,
    pub partners: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    DevIdToSeveralProductionUsers,
    ProductionUserToSeveralDevIds,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IdMap {
    /// In `id-map.csv`, not repeated in reports.
    #[serde(skip)]
    pub mapped: Vec<Mapped>,
    pub conflicts: Vec<Conflict>,
}

impl IdMap {
    /// Keeps each pair once, with its strongest evidence, and leaves out every id that has
    /// two partners.
    pub fn build(candidates: impl IntoIterator<Item = Mapped>) -> IdMap {
        let mut pairs: BTreeMap<(String, String), Mapped> = BTreeMap::new();
        for candidate in candidates {
            if candidate.dev_id.is_empty() || candidate.prod_id.is_empty() {
                continue;
            }
            let key = (candidate.dev_id.clone(), candidate.prod_id.clone());
            match pairs.get_mut(&key) {
                Some(kept) => {
                    if candidate.matched_by < kept.matched_by {
                        kept.matched_by = candidate.matched_by;
                    }
                    if kept.email.is_empty() {
                        kept.email = candidate.email;
                    }
                }
                None => {
                    pairs.insert(key, candidate);
                }
            }
        }
        let mut prods_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut devs_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (dev, prod) in pairs.keys() {
            prods_of.entry(dev).or_default().insert(prod);
            devs_of.entry(prod).or_default().insert(dev);
        }
        let mut conflicts = Vec::new();
        for (dev, prods) in prods_of.iter().filter(|(_, p)| p.len() > 1) {
            conflicts.push(Conflict {
                kind: ConflictKind::DevIdToSeveralProductionUsers,
                id: dev.to_string(),
                partners: prods.iter().map(|p| p.to_string()).collect(),
            });
        }
        for (prod, devs) in devs_of.iter().filter(|(_, d)| d.len() > 1) {
            conflicts.push(Conflict {
                kind: ConflictKind::ProductionUserToSeveralDevIds,
                id: prod.to_string(),
                partners: devs.iter().map(|d| d.to_string()).collect(),
            });
        }
        let mapped = pairs
            .iter()
            .filter(|((dev, prod), _)| {
                prods_of[dev.as_str()].len() == 1 && devs_of[prod.as_str()].len() == 1
            })
            .map(|(_, m)| m.clone())
            .collect();
        IdMap { mapped, conflicts }
    }

    /// `id-map.csv`: `dev_user_id,prod_user_id,email,matched_by`, LF, no byte-order mark.
    /// `remap` reads it back; cells a spreadsheet would run are neutralised as in
    /// `rejected.csv`, and the reader takes the guard off again.
    /// How many were matched only by an email, phone or username.
    pub fn identifier_only(&self) -> usize {
        self.mapped
            .iter()
            .filter(|m| m.matched_by.is_identifier_only())
            .count()
    }

    /// (dev, prod) pairs, for the rewrite.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.mapped
            .iter()
            .map(|m| (m.dev_id.clone(), m.prod_id.clone()))
            .collect()
    }

    pub fn to_csv(&self) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let neutral = |cell: &str| crate::core::emit::neutralise(cell).into_owned();
        writer
            .write_record(["dev_user_id", "prod_user_id", "email", "matched_by"])
            .expect("writing to memory");
        for m in &self.mapped {
            writer
                .write_record([
                    neutral(&m.dev_id),
                    neutral(&m.prod_id),
                    neutral(&m.email),
                    m.matched_by.as_str().to_string(),
                ])
                .expect("writing to memory");
        }
        writer.into_inner().expect("writing to memory")
    }
}

/// The users the migration tool created, from its logs: (dev id, production id) for each
/// `status: "success"` line that names the created user (`clerkUserId`).
pub fn created_in_logs(logs: &[&[u8]]) -> Vec<(String, String)> {
    let mut created = Vec::new();
    for log in logs {
        for line in String::from_utf8_lossy(log).lines() {
            let Ok(entry) = serde_json::from_str::<Value>(line.trim()) else {
                continue;
            };
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
            if text("status").as_deref() != Some("success") {
                continue;
            }
            if let (Some(dev), Some(prod)) = (text("userId"), text("clerkUserId")) {
                created.push((dev, prod));
            }
        }
    }
    created
}

/// One dev id and the production id it becomes, as `remap` reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub dev_id: String,
    pub prod_id: String,
}

/// Why an id map cannot be used (with the line, as an editor numbers it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapError {
    NoHeader,
    Unreadable(String),
    EmptyCell { line: usize },
    SameId { line: usize, id: String },
    DevTwice { line: usize, id: String },
    ProdTwice { line: usize, id: String },
    Empty,
}

impl MapError {
    pub fn message(&self, lang: crate::core::lang::Lang) -> String {
        match self {
            MapError::NoHeader => lang.pick(
                "the id map has no dev_user_id and prod_user_id columns: give the id-map.csv reconcile wrote.".into(),
                "el mapa de ids no tiene columnas dev_user_id y prod_user_id: indica el id-map.csv que escribió reconcile.".into(),
            ),
            MapError::Unreadable(e) => lang.pick(
                format!("the id map cannot be read as CSV: {e}"),
                format!("el mapa de ids no se puede leer como CSV: {e}"),
            ),
            MapError::EmptyCell { line } => lang.pick(
                format!("the id map's line {line} lacks a dev or a production id."),
                format!("a la línea {line} del mapa de ids le falta un id de desarrollo o de producción."),
            ),
            MapError::SameId { line, id } => lang.pick(
                format!("the id map's line {line} maps {id} to itself."),
                format!("la línea {line} del mapa de ids asigna {id} a sí mismo."),
            ),
            MapError::DevTwice { line, id } => lang.pick(
                format!("the id map's line {line} maps dev id {id} a second time: one dev id, one production user."),
                format!("la línea {line} del mapa de ids asigna otra vez el id de desarrollo {id}: un id de desarrollo, un usuario de producción."),
            ),
            MapError::ProdTwice { line, id } => lang.pick(
                format!("the id map's line {line} gives production user {id} a second dev id: one production user, one dev id."),
                format!("la línea {line} del mapa de ids da al usuario de producción {id} un segundo id de desarrollo: un usuario de producción, un id de desarrollo."),
            ),
            MapError::Empty => lang.pick(
                "the id map maps no user: there is nothing to rewrite.".into(),
                "el mapa de ids no asigna ningún usuario: no hay nada que reescribir.".into(),
            ),
        }
    }
}

/// Reads `id-map.csv`: every pair once, each id at most once on either side.
pub fn read_map(text: &str) -> Result<Vec<Pair>, MapError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| MapError::Unreadable(e.to_string()))?
        .clone();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(dev_at), Some(prod_at)) = (at("dev_user_id"), at("prod_user_id")) else {
        return Err(MapError::NoHeader);
    };
    let mut pairs = Vec::new();
    let mut devs = std::collections::HashSet::new();
    let mut prods = std::collections::HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| MapError::Unreadable(e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| clean_cell(record.get(i).unwrap_or("")).to_string();
        let (dev_id, prod_id) = (cell(dev_at), cell(prod_at));
        if dev_id.is_empty() && prod_id.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if dev_id.is_empty() || prod_id.is_empty() {
            return Err(MapError::EmptyCell { line });
        }
        if dev_id == prod_id {
            return Err(MapError::SameId { line, id: dev_id });
        }
        if !devs.insert(dev_id.clone()) {
            return Err(MapError::DevTwice { line, id: dev_id });
        }
        if !prods.insert(prod_id.clone()) {
            return Err(MapError::ProdTwice { line, id: prod_id });
        }
        pairs.push(Pair { dev_id, prod_id });
    }
    if pairs.is_empty() {
        return Err(MapError::Empty);
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(dev: &str, prod: &str, by: Evidence) -> Mapped {
        Mapped {
            dev_id: dev.into(),
            prod_id: prod.into(),
            email: format!("{dev}@example.com"),
            matched_by: by,
        }
    }

    #[test]
    fn two_partners_are_a_conflict_never_a_guess() {
        let map = IdMap::build([
            m("user_d1", "user_p1", Evidence::Email),
            m("user_d1", "user_p1", Evidence::ExternalId),
            m("user_d2", "user_p2", Evidence::ExternalId),
            m("user_d2", "user_p9", Evidence::MigrationLog),
            m("user_d3", "user_p3", Evidence::ExternalId),
            m("user_d4", "user_p3", Evidence::Email),
            m("user_d5", "user_p5", Evidence::Email),
        ]);
        let kept: Vec<(&str, Evidence)> = map
            .mapped
            .iter()
            .map(|m| (m.dev_id.as_str(), m.matched_by))
            .collect();
        assert_eq!(
            kept,
            vec![
                ("user_d1", Evidence::ExternalId),
                ("user_d5", Evidence::Email)
            ]
        );
        assert_eq!(map.conflicts.len(), 2);
        assert_eq!(map.conflicts[0].id, "user_d2");
        assert_eq!(map.conflicts[0].partners, vec!["user_p2", "user_p9"]);
        assert_eq!(
            map.conflicts[1].kind,
            ConflictKind::ProductionUserToSeveralDevIds
        );
        assert_eq!(map.conflicts[1].partners, vec!["user_d3", "user_d4"]);
    }

    #[test]
    fn the_file_reads_back_and_refuses_what_would_be_a_guess() {
        let map = IdMap::build([m("=d1", "user_p1", Evidence::ExternalId)]);
        let csv = String::from_utf8(map.to_csv()).unwrap();
        assert_eq!(
            csv,
            "dev_user_id,prod_user_id,email,matched_by\n'=d1,user_p1,=d1@example.com,external_id\n"
                .replace(",=d1@", ",'=d1@")
        );
        assert_eq!(
            read_map(&csv).unwrap(),
            vec![Pair {
                dev_id: "=d1".into(),
                prod_id: "user_p1".into()
            }]
        );
        let twice = "dev_user_id,prod_user_id\nuser_a,user_p\nuser_a,user_q\n";
        assert_eq!(
            read_map(twice),
            Err(MapError::DevTwice {
                line: 3,
                id: "user_a".into()
            })
        );
        assert_eq!(
            read_map("dev_user_id,prod_user_id\nuser_a,user_p\nuser_b,user_p\n"),
            Err(MapError::ProdTwice {
                line: 3,
                id: "user_p".into()
            })
        );
        assert_eq!(read_map("a,b\n1,2\n"), Err(MapError::NoHeader));
        assert_eq!(read_map("dev_user_id,prod_user_id\n"), Err(MapError::Empty));
    }

    #[test]
    fn the_logs_name_each_created_user() {
        let log = br#"{"userId":"user_d1","status":"success","clerkUserId":"user_p1"}
{"type":"User Creation Error","userId":"user_d2","status":"error","error":"That email address is taken."}
not json
{"userId":"user_d3","status":"success"}
"#;
        assert_eq!(
            created_in_logs(&[log]),
            vec![("user_d1".to_string(), "user_p1".to_string())]
        );
    }
}
