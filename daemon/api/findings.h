/*
 * findings.h: what the findings and their corrective actions share
 * (api-findings.c, api-actions.c) and the overdue actions report
 * (reports.c builds it, api-reports.c serves it).
 */
#ifndef FINDINGS_H
#define FINDINGS_H

/* 1 if a finding of type type is a nonconformity (major_nc, minor_nc). */
int	findings_nonconformity(const char *type);

#endif
