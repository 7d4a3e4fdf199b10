/*
 * cases_competence.h: the competence cases (cases_competence.c,
 * cases_competence_access.c) and their rows of test_api.c's table. Each
 * case makes all it needs under its own id prefix and needs no other case
 * nor any order, so the rows sit here together and the table takes them
 * with one line; AUDITORD_API_ONLY=competence runs only them.
 */
#ifndef CASES_COMPETENCE_H
#define CASES_COMPETENCE_H

void	competence_qualifications(void);
void	competence_trainings(void);
void	competence_evaluations(void);
void	competence_declarations(void);
void	competence_rules(void);
void	competence_references(void);
void	competence_verification(void);
void	competence_own_scope(void);
void	competence_roles(void);
void	competence_events(void);
#define COMPETENCE_CASES						\
	{ "competence: qualifications CRUD, filters, dates, pages",	\
	    competence_qualifications },				\
	{ "competence: trainings CRUD, filters, dates, pages, hours",	\
	    competence_trainings },					\
	{ "competence: evaluations CRUD, filters, dates, pages",	\
	    competence_evaluations },					\
	{ "competence: declarations CRUD, filters, dates, pages",	\
	    competence_declarations },					\
	{ "competence: 422 paths for references, dates, hours, rules",	\
	    competence_rules },						\
	{ "competence: 409 on delete of a referenced auditor or area",	\
	    competence_references },					\
	{ "competence: HR verification sets verified_by and _on",	\
	    competence_verification },					\
	{ "competence: role auditor sees and writes only its own",	\
	    competence_own_scope },					\
	{ "competence: manager, hr and viewer grants",			\
	    competence_roles },						\
	{ "competence: events for every change, chain verifies",	\
	    competence_events }

#endif
