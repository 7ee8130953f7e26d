//! The applied entities, each parsed once into its typed record when it is applied (or when
//! the engine is restored), and found by kind and name through an index: the controller never
//! re-parses YAML to look something up, and a lookup does not scan every entity.

use crate::model::EntityRecord;
use crate::validate::{self, Parsed};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub(crate) struct Catalog {
    /// Parallel to `Engine::entities`: the typed record of each (None if it no longer parses,
    /// e.g. stored by an older version with looser checks).
    parsed: Vec<Option<Arc<Parsed>>>,
    /// (kind, name) → indices into `entities`, oldest first.
    by_name: HashMap<(String, String), Vec<usize>>,
    /// kind → indices, oldest first.
    by_kind: HashMap<String, Vec<usize>>,
}

impl Catalog {
    pub(crate) fn build(entities: &[EntityRecord]) -> Catalog {
        let mut c = Catalog::default();
        for (i, e) in entities.iter().enumerate() {
            let parsed = validate::parse_document(&e.yaml).ok().map(Arc::new);
            c.insert(i, e, parsed);
        }
        c
    }

    pub(crate) fn insert(&mut self, i: usize, e: &EntityRecord, parsed: Option<Arc<Parsed>>) {
        debug_assert_eq!(i, self.parsed.len());
        self.parsed.push(parsed);
        self.by_name
            .entry((e.kind.clone(), e.name.clone()))
            .or_default()
            .push(i);
        self.by_kind.entry(e.kind.clone()).or_default().push(i);
    }

    pub(crate) fn replace(&mut self, i: usize, parsed: Option<Arc<Parsed>>) {
        self.parsed[i] = parsed;
    }

    pub(crate) fn parsed(&self, i: usize) -> Option<&Parsed> {
        self.parsed.get(i).and_then(|p| p.as_deref())
    }

    /// Indices of the entities of `kind` named `name`, oldest first.
    pub(crate) fn named(&self, kind: &str, name: &str) -> &[usize] {
        self.by_name
            .get(&(kind.to_string(), name.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Indices of the entities of `kind`, oldest first.
    pub(crate) fn of_kind(&self, kind: &str) -> &[usize] {
        self.by_kind.get(kind).map(Vec::as_slice).unwrap_or(&[])
    }
}

impl crate::Engine {
    /// Entities of `kind` named `name` with their typed records, newest first.
    pub(crate) fn entities_named<'a>(
        &'a self,
        kind: crate::entities::Kind,
        name: &str,
    ) -> impl Iterator<Item = (&'a EntityRecord, &'a Parsed)> + 'a {
        let idx = self.catalog.named(kind.name(), name);
        idx.iter()
            .rev()
            .filter_map(move |&i| Some((&self.entities[i], self.catalog.parsed(i)?)))
    }

    /// Entities of `kind` with their typed records, newest first.
    pub(crate) fn entities_of_kind(
        &self,
        kind: crate::entities::Kind,
    ) -> impl Iterator<Item = (&EntityRecord, &Parsed)> + '_ {
        self.catalog
            .of_kind(kind.name())
            .iter()
            .rev()
            .filter_map(move |&i| Some((&self.entities[i], self.catalog.parsed(i)?)))
    }
}
